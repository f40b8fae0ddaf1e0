// Test fixtures for the verifier: RSA keys and forged tokens signed with jose, a JWKS server whose keys,
// status, body and Cache-Control the test controls (and which counts requests), a movable clock, and
// real tokens from the in-process Latchkey.

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { base64url, exportJWK, generateKeyPair, type JWK, type JWTPayload, SignJWT } from 'jose';
import { obtainCode, redeem } from '../../server/test/fixtures/browser-flow.ts';
import type { TestServer } from '../../server/test/fixtures/test-server.ts';

export const ISSUER = 'https://idp.test/oauth2/default';
export const AUDIENCE = 'api://default';
export const CLIENT_ID = '0oa1ab2cd3EF4gh5i6j7';
export const T0 = 1_700_000_000;

export interface TestKey {
  kid: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  jwk: JWK;
}

export async function makeKey(kid: string): Promise<TestKey> {
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  return { kid, privateKey, publicKey, jwk };
}

/** Okta-shaped access-token claims (OKTA-COMPAT §2.3) issued at `now`. */
export function accessClaims(now: number, extra: Record<string, unknown> = {}): JWTPayload {
  return {
    ver: 1,
    jti: 'AT.test',
    iss: ISSUER,
    aud: AUDIENCE,
    iat: now,
    exp: now + 3600,
    cid: CLIENT_ID,
    uid: '00u1ab2cd3EF4gh5i6j7',
    scp: ['openid', 'messages:read'],
    sub: 'alice@example.com',
    ...extra,
  };
}

/** Signs `claims` with `key` (RS256, kid) unless the header says otherwise. */
export function forge(
  key: TestKey,
  claims: JWTPayload,
  header: Record<string, unknown> = {},
): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: key.kid, ...header })
    .sign(key.privateKey);
}

/** RS256 over any header and payload text, bypassing jose's checks (for crit, non-object payloads). */
export async function signRaw(
  key: TestKey,
  header: Record<string, unknown>,
  payload: string,
): Promise<string> {
  const input = `${base64url.encode(JSON.stringify(header))}.${base64url.encode(payload)}`;
  const signature = await crypto.subtle.sign(
    'RSASSA-PKCS1-v1_5',
    key.privateKey,
    new TextEncoder().encode(input),
  );
  return `${input}.${base64url.encode(new Uint8Array(signature))}`;
}

/** A movable clock in epoch seconds, like the server's ManualClock. */
export class TestClock {
  constructor(public current = T0) {}
  readonly now = (): number => this.current;
  advance(seconds: number): void {
    this.current += seconds;
  }
}

export interface JwksServerState {
  keys: JWK[];
  status: number;
  cacheControl: string | undefined;
  /** Sent instead of the key set when set. */
  rawBody: string | undefined;
  /** Never answer (to exercise the timeout). */
  hang: boolean;
}

export interface JwksServer {
  url: string;
  state: JwksServerState;
  /** How many requests reached the server. */
  requests: number;
  close(): Promise<void>;
}

export async function startJwksServer(initial: Partial<JwksServerState> = {}): Promise<JwksServer> {
  const state: JwksServerState = {
    keys: [],
    status: 200,
    cacheControl: 'max-age=60',
    rawBody: undefined,
    hang: false,
    ...initial,
  };
  const result: JwksServer = {
    url: '',
    state,
    requests: 0,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server = createServer((_request, response) => {
    result.requests += 1;
    if (state.hang) return;
    response.statusCode = state.status;
    response.setHeader('content-type', 'application/json');
    if (state.cacheControl !== undefined) response.setHeader('cache-control', state.cacheControl);
    response.end(state.rawBody ?? JSON.stringify({ keys: state.keys }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  result.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/oauth2/default/v1/keys`;
  return result;
}

/** A URL where nothing listens (a port that was just free). */
export async function closedUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/oauth2/default/v1/keys`;
}

export interface RealTokens {
  access_token: string;
  id_token?: string;
  refresh_token?: string;
  scope: string;
}

/** alice signs in to native-pub through the real code flow and redeems the code. */
export async function realTokens(server: TestServer, scope: string): Promise<RealTokens> {
  const { code, pkce, redirectUri } = await obtainCode(server, { scope });
  const response = await redeem(server, {
    grant_type: 'authorization_code',
    client_id: server.nativePub.client.clientId,
    redirect_uri: redirectUri,
    code,
    code_verifier: pkce.verifier,
  });
  if (response.status !== 200) throw new Error(`token endpoint: ${response.status} ${await response.text()}`);
  return (await response.json()) as RealTokens;
}

/** Records unhandled rejections while a suite runs: the verifier must never leave one behind. */
export function watchUnhandledRejections(): { reasons: unknown[]; stop(): void } {
  const reasons: unknown[] = [];
  const listener = (reason: unknown) => reasons.push(reason);
  process.on('unhandledRejection', listener);
  return { reasons, stop: () => process.off('unhandledRejection', listener) };
}
