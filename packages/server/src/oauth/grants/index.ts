// The only registry of grant types: a Map from `grant_type` to its handler (RFC 6749 §4, §6).

import { authorizationCodeGrant } from './authorization-code.ts';
import type { GrantHandler } from './grant-handler.ts';

export const grantHandlers: ReadonlyMap<string, GrantHandler> = new Map(
  [authorizationCodeGrant].map((handler) => [handler.grantType, handler]),
);
