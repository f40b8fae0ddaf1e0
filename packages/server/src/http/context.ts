// What every endpoint module receives: the dependencies plus the HTTP-level helpers built once in app.ts.

import type { CookieNames } from '../accounts/sessions.ts';
import type { Deps } from '../deps.ts';
import type { Readiness } from '../services/readiness.ts';
import type { ServerDirectory } from './server-directory.ts';

export interface HttpContext {
  deps: Deps;
  servers: ServerDirectory;
  cookies: CookieNames;
  readiness: Readiness;
}
