// The only registry of grant types: a Map from `grant_type` to its handler (RFC 6749 §4, §6).

import { authorizationCodeGrant } from './authorization-code.ts';
import type { GrantHandler } from './grant-handler.ts';
import { refreshTokenGrant } from './refresh-token.ts';

export const grantHandlers: ReadonlyMap<string, GrantHandler> = new Map(
  [authorizationCodeGrant, refreshTokenGrant].map((handler) => [handler.grantType, handler]),
);
