// What every endpoint module receives: the dependencies plus the HTTP-level helpers built once in app.ts.

import type { CookieNames } from '../accounts/sessions.ts';
import type { Deps } from '../deps.ts';
import type { Metrics } from '../metrics/metrics.ts';
import type { ClientKeySets } from '../oauth/client-key-sets.ts';
import type { Readiness } from '../services/readiness.ts';
import type { ServerDirectory } from './server-directory.ts';

export interface HttpContext {
  deps: Deps;
  metrics: Metrics;
  servers: ServerDirectory;
  cookies: CookieNames;
  /** private_key_jwt apps' keys, fetched JWK Sets cached per process. */
  clientKeys: ClientKeySets;
  readiness: Readiness;
}
