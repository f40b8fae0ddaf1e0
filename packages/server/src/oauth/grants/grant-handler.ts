// RFC 6749 §4.1.3 / §6: one handler per grant type, registered in ./index.ts.

import type { Deps } from '../../deps.ts';
import type { AuthorizationServerRow, ClientRow } from '../../storage/store.ts';
import type { ParameterBag } from '../params.ts';
import type { TokenResponse } from '../tokens/token-response.ts';

export interface TokenRequest {
  server: AuthorizationServerRow;
  issuer: string;
  client: ClientRow;
  params: ParameterBag;
  /** The browser `Origin`, when the request came from a page (OKTA-COMPAT §3). */
  origin: string | undefined;
  ip: string | undefined;
  /**
   * Writes the system-log event of a success. Handlers call it inside the transaction that issues the
   * tokens, so the event commits with them: one commit per request, and no issued token goes unlogged
   * (issue 8 §2).
   */
  recordIssued(response: TokenResponse): Promise<void>;
}

export interface GrantHandler {
  readonly grantType: string;
  handle(deps: Deps, request: TokenRequest): Promise<TokenResponse>;
}
