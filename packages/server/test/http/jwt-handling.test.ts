// Forged and malformed access tokens at /v1/userinfo and /v1/introspect: SECURITY-MATRIX JW-01…JW-05.
// Each variant starts from a real token (its `jti` is in the store), so each rejection is down to the one
// property the variant changes; a control re-signed with the real key and kid must pass.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHmac, createPublicKey, type JsonWebKey } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { decodeJwt, exportJWK, generateKeyPair, type JWK } from 'jose';
import { startTestServer, type TestServer } from '../fixtures/test-server.ts';
import {
  assertInactive,
  introspect,
  issueTokens,
  type Tokens,
  userinfo,
} from '../fixtures/token-endpoints.ts';

const INVALID_TOKEN = 'Bearer error="invalid_token", error_description="The access token is invalid"';
const b64 = (value: unknown): string =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
const jws = (header: object, payload: object, signature = ''): string =>
  `${b64(header)}.${b64(payload)}.${signature}`;

async function signRs256(header: object, payload: object, key: CryptoKey): Promise<string> {
  const input = `${b64(header)}.${b64(payload)}`;
  const signature = await crypto.subtle.sign('RSASSA-PKCS1-v1_5', key, Buffer.from(input));
  return `${input}.${Buffer.from(signature).toString('base64url')}`;
}

function signHs256(header: object, payload: object, secret: Buffer | string): string {
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}

/** A self-signed certificate for the x5c header (openssl when present; else the bare SPKI). */
function selfSignedCertificate(): string {
  const dir = mkdtempSync(join(tmpdir(), 'jw03-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-subj',
        '/CN=attacker',
        '-days',
        '1',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
        '-outform',
        'DER',
      ],
      { stdio: 'ignore' },
    );
    return readFileSync(join(dir, 'cert.pem')).toString('base64');
  } catch {
    return Buffer.from('not-a-certificate').toString('base64');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('JW-01…JW-05 forged and malformed access tokens', () => {
  let server: TestServer;
  let tokens: Tokens;
  let claims: Record<string, unknown>;
  let kid: string;
  let ourKey: CryptoKey;
  let publicJwk: JWK;
  let attacker: { privateKey: CryptoKey; jwk: JWK };
  let trap: Server;
  let trapUrl: string;
  let connections = 0;

  before(async () => {
    server = await startTestServer();
    tokens = await issueTokens(server);
    claims = decodeJwt(tokens.access_token) as Record<string, unknown>;
    const signing = await server.deps.keys.signingKey('default');
    kid = signing.kid;
    ourKey = signing.privateKey;
    publicJwk = (await server.deps.keys.jwks('default')).keys.find((key) => key.kid === kid) as JWK;
    const pair = await generateKeyPair('RS256', { extractable: true });
    attacker = { privateKey: pair.privateKey, jwk: { ...(await exportJWK(pair.publicKey)), kid } };
    trap = createServer((socket) => {
      connections += 1;
      socket.destroy();
    });
    await new Promise<void>((resolve) => trap.listen(0, '127.0.0.1', resolve));
    const address = trap.address();
    trapUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/jwks.json`;
  });
  after(async () => {
    await new Promise((resolve) => trap.close(resolve));
    await server.close();
  });

  /** Both endpoints refuse: userinfo 401 with Okta's challenge, introspection exactly {"active":false}. */
  async function expectRefused(token: string): Promise<void> {
    const response = await userinfo(server, token);
    assert.equal(response.status, 401, await response.text());
    assert.equal(response.headers.get('www-authenticate'), INVALID_TOKEN);
    await assertInactive(server, token);
  }

  const real = (): { header: object; payload: Record<string, unknown> } => ({
    header: { alg: 'RS256', kid },
    payload: { ...claims },
  });

  it('control: the real claims re-signed with the real key and kid are accepted by both', async () => {
    const token = await signRs256(real().header, real().payload, ourKey);
    assert.equal((await userinfo(server, token)).status, 200);
    assert.equal((await introspect(server, token))['active'], true);
  });

  describe('JW-01 alg none', () => {
    for (const alg of ['none', 'None', 'NONE', 'nOnE']) {
      for (const signature of ['empty', 'original'] as const) {
        it(`JW-01 alg ${alg} with the ${signature} signature`, async () => {
          const sig = signature === 'empty' ? '' : (tokens.access_token.split('.')[2] ?? '');
          await expectRefused(jws({ alg, kid }, claims, sig));
        });
      }
    }
  });

  describe('JW-02 HS256 keyed with our RSA public key', () => {
    const secrets: [string, () => Buffer | string][] = [
      [
        'PEM',
        () =>
          createPublicKey({ key: publicJwk as JsonWebKey, format: 'jwk' }).export({
            type: 'spki',
            format: 'pem',
          }),
      ],
      [
        'DER',
        () =>
          createPublicKey({ key: publicJwk as JsonWebKey, format: 'jwk' }).export({
            type: 'spki',
            format: 'der',
          }),
      ],
      ['JWK JSON', () => JSON.stringify(publicJwk)],
      ['raw n (base64url text)', () => publicJwk.n ?? ''],
      ['raw n (bytes)', () => Buffer.from(publicJwk.n ?? '', 'base64url')],
    ];
    for (const [label, secret] of secrets) {
      it(`JW-02 HS256 with the ${label} form`, async () => {
        await expectRefused(signHs256({ alg: 'HS256', kid }, claims, secret()));
      });
    }
  });

  describe('JW-03 embedded key material, no outbound request', () => {
    const variants: [string, () => object][] = [
      ['jwk = attacker key (same kid)', () => ({ alg: 'RS256', kid, jwk: attacker.jwk })],
      ['jwk = attacker key, no kid', () => ({ alg: 'RS256', jwk: attacker.jwk })],
      ['jku = attacker URL', () => ({ alg: 'RS256', kid: 'attacker', jku: trapUrl })],
      ['x5u = attacker URL', () => ({ alg: 'RS256', kid: 'attacker', x5u: trapUrl })],
      ['x5c = self-signed certificate', () => ({ alg: 'RS256', x5c: [selfSignedCertificate()] })],
    ];
    for (const [label, header] of variants) {
      it(`JW-03 ${label}`, async () => {
        await expectRefused(await signRs256(header(), claims, attacker.privateKey));
      });
    }
    it('JW-03 no connection reached the attacker URL', () => {
      assert.equal(connections, 0);
    });
  });

  describe('JW-04 kid injection: refused, never 500', () => {
    const kids: [string, unknown][] = [
      ['path traversal', '../../../../dev/null'],
      ['SQL', "' OR '1'='1"],
      ['NoSQL text', '{"$ne":null}'],
      ['NoSQL object', { $ne: null }],
      ['10 KB string', 'k'.repeat(10 * 1024)],
      ['unknown id', 'no-such-key'],
      ['empty string', ''],
      ['number', 1],
      ['array holding the real kid', 'ARRAY'],
      ['null', null],
      ['absent', undefined],
    ];
    for (const [label, value] of kids) {
      it(`JW-04 kid ${label}, signed with the real key`, async () => {
        const injected = value === 'ARRAY' ? [kid] : value;
        await expectRefused(await signRs256({ alg: 'RS256', kid: injected }, claims, ourKey));
      });
    }
  });

  describe('JW-05 claim and structure checks', () => {
    const now = (): number => server.clock.now();
    const resigned: [string, () => { header?: object; payload?: object }][] = [
      ['expired one second ago', () => ({ payload: { exp: now() - 1 } })],
      ['expiring exactly now', () => ({ payload: { exp: now() } })],
      ['nbf in the future', () => ({ payload: { nbf: now() + 60 } })],
      ['foreign iss', () => ({ payload: { iss: 'https://evil.example/oauth2/default' } })],
      ['iss with a trailing slash', () => ({ payload: { iss: `${server.issuer}/` } })],
      ["another server's iss", () => ({ payload: { iss: 'https://idp.test/oauth2/other' } })],
      ['aud of another resource', () => ({ payload: { aud: 'api://other' } })],
      ['aud as an array', () => ({ payload: { aud: ['api://default', 'api://other'] } })],
      ['unknown crit header', () => ({ header: { alg: 'RS256', kid, crit: ['x-unknown'], 'x-unknown': 1 } })],
      ['unknown jti', () => ({ payload: { jti: 'AT.forged' } })],
    ];
    for (const [label, change] of resigned) {
      it(`JW-05 ${label} (re-signed with the real key)`, async () => {
        const { header, payload } = change();
        await expectRefused(await signRs256(header ?? real().header, { ...claims, ...payload }, ourKey));
      });
    }

    const structural: [string, () => string][] = [
      ['the ID token presented as an access token', () => tokens.id_token ?? ''],
      ['a bit-flipped payload', () => flipPayloadBit(tokens.access_token)],
      ['a truncated signature', () => tokens.access_token.slice(0, -10)],
      ['an empty signature', () => tokens.access_token.replace(/[^.]+$/, '')],
      ['a 5-segment JWE', () => `${b64({ alg: 'RSA-OAEP', enc: 'A256GCM', kid })}.a.b.c.d`],
    ];
    for (const [label, token] of structural) {
      it(`JW-05 ${label}`, async () => {
        await expectRefused(token());
      });
    }

    it('JW-05 the refresh token presented as a Bearer access token: 401 (introspection knows it as an RT)', async () => {
      const response = await userinfo(server, tokens.refresh_token);
      assert.equal(response.status, 401);
      assert.equal(response.headers.get('www-authenticate'), INVALID_TOKEN);
      assert.equal((await introspect(server, tokens.refresh_token ?? ''))['token_type'], 'refresh_token');
    });
  });
});

function flipPayloadBit(token: string): string {
  const [header, payload, signature] = token.split('.');
  const bytes = Buffer.from(payload ?? '', 'base64url');
  bytes[10] = (bytes[10] ?? 0) ^ 0x01;
  return `${header}.${bytes.toString('base64url')}.${signature}`;
}
