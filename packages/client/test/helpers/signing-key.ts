// A real RS256 key pair (WebCrypto), a JWK Set served over loopback HTTP, and a JWT signer, so that ID
// token validation runs against genuine signatures and a genuine key fetch (no mocked crypto).

import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TestKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JsonWebKey & { kid: string };
}

export async function generateTestKey(kid: string): Promise<TestKey> {
  const pair = await crypto.subtle.generateKey(
    {
      name: 'RSASSA-PKCS1-v1_5',
      modulusLength: 2048,
      publicExponent: new Uint8Array([1, 0, 1]),
      hash: 'SHA-256',
    },
    true,
    ['sign', 'verify'],
  );
  const jwk = await crypto.subtle.exportKey('jwk', pair.publicKey);
  return {
    kid,
    privateKey: pair.privateKey,
    publicJwk: { kty: 'RSA', n: jwk.n!, e: jwk.e!, alg: 'RS256', use: 'sig', kid },
  };
}

function part(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** A compact JWS; `header` replaces the default `{alg: RS256, kid}`. */
export async function signJwt(
  key: TestKey,
  claims: Record<string, unknown>,
  header: Record<string, unknown> = { alg: 'RS256', kid: key.kid },
): Promise<string> {
  const input = `${part(header)}.${part(claims)}`;
  const signature = await crypto.subtle.sign(
    'RSASSA-PKCS1-v1_5',
    key.privateKey,
    new TextEncoder().encode(input),
  );
  return `${input}.${Buffer.from(signature).toString('base64url')}`;
}

export function atHash(accessToken: string): string {
  return createHash('sha256').update(accessToken, 'ascii').digest().subarray(0, 16).toString('base64url');
}

export interface JwksServer {
  jwksUri: string;
  /** The keys served; change it to simulate a rotation. */
  keys: Array<JsonWebKey & { kid: string }>;
  /** How many times the key set was fetched. */
  fetches: number;
  close(): Promise<void>;
}

export async function startJwksServer(keys: Array<JsonWebKey & { kid: string }>): Promise<JwksServer> {
  const state = { keys, fetches: 0 };
  const server = createServer((_request, response) => {
    state.fetches++;
    response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'max-age=3600' });
    response.end(JSON.stringify({ keys: state.keys }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    jwksUri: `http://127.0.0.1:${port}/v1/keys`,
    get keys() {
      return state.keys;
    },
    set keys(value) {
      state.keys = value;
    },
    get fetches() {
      return state.fetches;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
