// What a scenario needs from a server under test; implemented for Latchkey and for the peer.

import type { Agent } from 'node:http';
import { REDIRECT_URI } from './constants.ts';
import { type CookieJar, expectStatus, json, type Pkce, type Response, send } from './http.ts';

export interface Tokens {
  access_token: string;
  id_token?: string;
  refresh_token?: string;
  scope?: string;
}

/** One browser (or app): a connection and a cookie jar. */
export interface Browser {
  agent: Agent;
  jar: CookieJar;
}

export interface Target {
  name: string;
  pid: number;
  /** Start-up time of its process, spawn to serving (ms). */
  readyMs: number;
  discoveryUrl: string;
  jwksUrl: string;
  /** A full sign-in from a browser without a session: every page and form, then the code exchange. */
  signIn(browser: Browser, options: { offline: boolean }): Promise<Tokens>;
  /** With an SSO session in the jar: /authorize answers with the code at once; then the code exchange. */
  silent(browser: Browser): Promise<Tokens>;
  /** refresh_token grant; returns the new (rotated) tokens. */
  refresh(agent: Agent, refreshToken: string): Promise<Tokens>;
  stop(): Promise<void>;
}

export const BASE_SCOPES = ['openid', 'profile', 'email'];

export function scopeFor(offline: boolean): string {
  return [...BASE_SCOPES, ...(offline ? ['offline_access'] : [])].join(' ');
}

/** POST {token endpoint} grant_type=authorization_code with PKCE, as a public client. */
export async function exchangeCode(
  agent: Agent,
  tokenUrl: string,
  clientId: string,
  code: string,
  verifier: Pkce['verifier'],
  expectRefresh: boolean,
): Promise<Tokens> {
  const response = await send(agent, tokenUrl, {
    form: {
      grant_type: 'authorization_code',
      client_id: clientId,
      redirect_uri: REDIRECT_URI,
      code,
      code_verifier: verifier,
    },
  });
  return checkTokens(expectStatus(response, [200], 'code exchange'), 'code exchange', expectRefresh);
}

export async function refreshGrant(
  agent: Agent,
  tokenUrl: string,
  clientId: string,
  refreshToken: string,
): Promise<Tokens> {
  const response = await send(agent, tokenUrl, {
    form: { grant_type: 'refresh_token', client_id: clientId, refresh_token: refreshToken },
  });
  const tokens = checkTokens(expectStatus(response, [200], 'refresh'), 'refresh', true);
  if (tokens.refresh_token === refreshToken) throw new Error('refresh: the refresh token was not rotated');
  return tokens;
}

function checkTokens(response: Response, step: string, expectRefresh: boolean): Tokens {
  const tokens = json<Tokens>(response, step);
  if (typeof tokens.access_token !== 'string') throw new Error(`${step}: no access_token`);
  if (typeof tokens.id_token !== 'string') throw new Error(`${step}: no id_token`);
  if (expectRefresh && typeof tokens.refresh_token !== 'string') throw new Error(`${step}: no refresh_token`);
  return tokens;
}
