// NB-01 (a new row): a NUL byte, bytes that are not UTF-8, or a lone surrogate in any query or form
// parameter, path segment, header value, cookie or JSON string is a 400 naming where it was, never a 5xx,
// on SQLite and on PostgreSQL (which cannot store U+0000 in text). Fuzzed with fast-check.

import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { toAdminApiError } from '../../src/admin/error-response.ts';
import { toOAuthError } from '../../src/http/error-response.ts';
import { toStoreError } from '../../src/storage/errors.ts';
import { UnstorableTextError } from '../../src/storage/store.ts';
import { type AdminApi, adminApi } from '../fixtures/admin-api.ts';
import { databases, startTestServer, type TestDatabase, type TestServer } from '../fixtures/test-server.ts';

interface Bad {
  problem: string;
  /** Percent-encoded, for URLs and forms. */
  url: string;
  /** In a JSON body: an escape (`\u0000`), or raw bytes when `json` is undefined. */
  json?: string;
}

const BAD_BYTES: Bad[] = [
  { problem: 'NUL', url: '%00', json: '\\u0000' },
  { problem: 'overlong NUL', url: '%C0%80' },
  { problem: 'lone continuation byte', url: '%80' },
  { problem: 'truncated sequence', url: '%E2%82' },
  { problem: 'invalid byte', url: '%FF' },
  { problem: 'encoded surrogate', url: '%ED%A0%80' },
  { problem: 'beyond U+10FFFF', url: '%F4%90%80%80' },
  { problem: 'lone high surrogate', url: '%00', json: '\\ud800' },
  { problem: 'lone low surrogate', url: '%00', json: '\\udfff' },
  { problem: 'reversed pair', url: '%00', json: '\\udc00\\ud800' },
];

type Format = 'json' | 'html' | 'admin';

interface Sent {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: Buffer;
}

interface Position {
  name: string;
  format: Format;
  /** What the 400 must name. */
  field: string;
  build(bad: Bad, around: [string, string]): Sent;
}

interface Reply {
  status: number;
  text: string;
}

function send(server: TestServer, sent: Sent): Promise<Reply> {
  const url = new URL(server.baseUrl);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: url.hostname, port: url.port, method: sent.method, path: sent.path, headers: sent.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
      },
    );
    req.on('error', reject);
    req.end(sent.body);
  });
}

const encode = (params: Record<string, string>): string => new URLSearchParams(params).toString();

/** `params` form-encoded, with `name`'s value (or, for `name=`, the name itself) carrying the bad bytes. */
function encodeWith(
  params: Record<string, string>,
  name: string,
  bad: Bad,
  around: [string, string],
): string {
  const dirty = `${around[0]}${bad.url}${around[1]}`;
  return Object.entries(params)
    .map(([key, value]) => (key === name ? `${encodeURIComponent(key)}=${dirty}` : encode({ [key]: value })))
    .join('&');
}

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

function queryPositions(path: string, format: Format, params: Record<string, string>): Position[] {
  return Object.keys(params).map((name) => ({
    name: `GET ${path} ?${name}`,
    format,
    field: name,
    build: (bad, around) => ({ method: 'GET', path: `${path}?${encodeWith(params, name, bad, around)}` }),
  }));
}

function formPositions(path: string, format: Format, params: Record<string, string>): Position[] {
  return Object.keys(params).map((name) => ({
    name: `POST ${path} ${name}`,
    format,
    field: name,
    build: (bad, around) => ({
      method: 'POST',
      path,
      headers: FORM,
      body: Buffer.from(encodeWith(params, name, bad, around)),
    }),
  }));
}

/** The same request with the bad bytes in a path segment, a header and a cookie. */
function envelopePositions(method: string, path: string, format: Format, serverSegment: boolean): Position[] {
  const positions: Position[] = [
    {
      name: `${method} ${path} header`,
      format,
      field: 'x-client-note',
      build: (bad, around) => ({
        method,
        path,
        // Node's client sends a latin1 string byte for byte; Node's server itself refuses a raw NUL.
        headers: { 'x-client-note': latin1(bad.url === '%00' ? '%FF' : bad.url, around) },
      }),
    },
    {
      name: `${method} ${path} cookie`,
      format,
      field: 'lk_note',
      build: (_bad, around) => ({ method, path, headers: { cookie: `lk_note=${around[0]}%00${around[1]}` } }),
    },
  ];
  if (serverSegment) {
    positions.push({
      name: `${method} ${path} :serverId`,
      format,
      field: 'serverId',
      build: (bad, around) => ({
        method,
        path: path.replace('/oauth2/default/', `/oauth2/${around[0]}${bad.url}${around[1]}/`),
      }),
    });
  }
  return positions;
}

function latin1(encoded: string, around: [string, string]): string {
  return `${around[0]}${Buffer.from(decodeURIComponentBytes(encoded)).toString('latin1')}${around[1]}`;
}

function decodeURIComponentBytes(encoded: string): number[] {
  return [...encoded.matchAll(/%([0-9A-F]{2})/gi)].map((match) => Number.parseInt(match[1] ?? '0', 16));
}

function oauthPositions(server: TestServer): Position[] {
  const d = '/oauth2/default/v1';
  const authorize = {
    client_id: server.nativePub.client.clientId,
    redirect_uri: 'http://127.0.0.1/callback',
    response_type: 'code',
    scope: 'openid profile',
    state: 'state-1',
    nonce: 'nonce-1',
    code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    code_challenge_method: 'S256',
    login_hint: 'alice@example.com',
  };
  const token = {
    grant_type: 'authorization_code',
    code: 'some-code',
    client_id: server.nativePub.client.clientId,
    redirect_uri: 'http://127.0.0.1/callback',
    code_verifier: 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk',
  };
  const refresh = { grant_type: 'refresh_token', refresh_token: 'rt', client_id: token.client_id };
  const introspect = { token: 'some-token', token_type_hint: 'access_token', client_id: token.client_id };
  const signIn = { transaction_id: 'tx', _csrf: 'csrf', username: 'alice@example.com', password: 'pw' };
  const logout = { id_token_hint: 'hint', post_logout_redirect_uri: 'com.example.app:/logout', state: 's' };
  return [
    ...queryPositions(`${d}/authorize`, 'html', authorize),
    ...formPositions(`${d}/authorize`, 'html', authorize),
    ...envelopePositions('GET', `${d}/authorize?${encode(authorize)}`, 'html', true),
    ...formPositions(`${d}/token`, 'json', token),
    ...formPositions(`${d}/token`, 'json', refresh),
    ...envelopePositions('POST', `${d}/token`, 'json', true),
    ...formPositions('/sign-in', 'html', signIn),
    ...envelopePositions('POST', '/sign-in', 'html', false),
    ...formPositions('/consent', 'json', { transaction_id: 'tx', _csrf: 'c', decision: 'allow' }),
    ...formPositions(`${d}/introspect`, 'json', introspect),
    ...queryPositions(`${d}/introspect`, 'json', { client_id: token.client_id }),
    ...formPositions(`${d}/revoke`, 'json', introspect),
    ...queryPositions(`${d}/userinfo`, 'json', { schema: 'openid' }),
    ...envelopePositions('GET', `${d}/userinfo`, 'json', true),
    ...queryPositions(`${d}/logout`, 'html', logout),
    ...envelopePositions('GET', `${d}/logout`, 'html', true),
    ...queryPositions(`${d}/keys`, 'json', { x: '1' }),
  ];
}

function adminPositions(api: AdminApi): Position[] {
  const auth = { authorization: `SSWS ${api.token}`, accept: 'application/json' };
  const jsonBody = (field: string, bad: Bad, around: [string, string]): Buffer => {
    const user = {
      profile: { firstName: 'Bob', lastName: 'Byte', email: 'bob@example.com', login: 'bob@example.com' },
      credentials: { password: { value: 'a long enough passphrase 42' } },
    };
    const marker = 'XMARKERX';
    const [group, key, inner] = field.split('.') as [string, string, string | undefined];
    const target = (user as unknown as Record<string, Record<string, unknown>>)[group] ?? {};
    if (inner === undefined) target[key] = marker;
    else target[key] = { [inner]: marker };
    const [head, tail] = JSON.stringify(user).split(marker) as [string, string];
    const middle =
      bad.json === undefined ? Buffer.from(decodeURIComponentBytes(bad.url)) : Buffer.from(bad.json);
    return Buffer.concat([Buffer.from(`${head}${around[0]}`), middle, Buffer.from(`${around[1]}${tail}`)]);
  };
  const bodyFields = [
    'profile.firstName',
    'profile.lastName',
    'profile.email',
    'profile.login',
    'credentials.password.value',
  ];
  return [
    ...['q', 'after', 'limit'].map((name) => ({
      name: `GET /api/v1/users ?${name}`,
      format: 'admin' as const,
      field: name,
      build: (bad: Bad, around: [string, string]) => ({
        method: 'GET',
        path: `/api/v1/users?${name}=${around[0]}${bad.url}${around[1]}`,
        headers: auth,
      }),
    })),
    {
      name: 'GET /api/v1/users/:userId',
      format: 'admin',
      field: 'userId',
      build: (bad, around) => ({
        method: 'GET',
        path: `/api/v1/users/${around[0]}${bad.url}${around[1]}`,
        headers: auth,
      }),
    },
    ...bodyFields.map((field) => ({
      name: `POST /api/v1/users ${field}`,
      format: 'admin' as const,
      field,
      build: (bad: Bad, around: [string, string]) => ({
        method: 'POST',
        path: '/api/v1/users',
        headers: { ...auth, 'content-type': 'application/json' },
        body: jsonBody(field, bad, around),
      }),
    })),
  ];
}

/** The 400 names `field` in the format of its endpoint. */
function assertRefused(position: Position, reply: Reply): void {
  const context = `${position.name}: ${reply.status} ${reply.text.slice(0, 400)}`;
  assert.equal(reply.status, 400, context);
  if (position.format === 'html') {
    assert.match(reply.text, /invalid_request/, context);
    assert.ok(reply.text.includes(`'${position.field}'`), context);
    return;
  }
  const body = JSON.parse(reply.text);
  if (position.format === 'json') {
    assert.equal(body.error, 'invalid_request', context);
    assert.ok(body.error_description.includes(`'${position.field}'`), context);
    return;
  }
  assert.equal(body.errorCode, 'E0000001', context);
  assert.equal(body.errorCauses[0]?.location, position.field, context);
}

/** JSON escapes (lone surrogates) only mean something in a JSON body; everything else goes everywhere. */
function applies(position: Position, bad: Bad): boolean {
  const jsonBody = position.format === 'admin' && position.name.startsWith('POST');
  return jsonBody || bad.json === undefined || bad.json === '\\u0000';
}

const AROUND = fc.tuple(
  fc.stringMatching(/^[A-Za-z0-9._~-]{0,6}$/),
  fc.stringMatching(/^[A-Za-z0-9._~-]{0,6}$/),
);

function describeInputGuard(database: TestDatabase): void {
  describe(`NB-01 on ${database}`, () => {
    let server: TestServer;
    let api: AdminApi;
    before(async () => {
      server = await startTestServer({ database });
      api = await adminApi(server);
    });
    after(() => server.close());

    test('NB-01: every position of every main endpoint refuses NUL, bad UTF-8 and lone surrogates with a 400 naming it', async () => {
      const positions = [...oauthPositions(server), ...adminPositions(api)];
      // Each position once with each kind of bad input, then random mixes.
      for (const position of positions) {
        for (const bad of BAD_BYTES.filter((bad) => applies(position, bad))) {
          assertRefused(position, await send(server, position.build(bad, ['', ''])));
        }
      }
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...positions),
          fc.constantFrom(...BAD_BYTES),
          AROUND,
          async (position, bad, around) => {
            fc.pre(applies(position, bad));
            assertRefused(position, await send(server, position.build(bad, around)));
          },
        ),
        { numRuns: 300 },
      );
    });

    test('NB-01: a refused /authorize is still in the system log, naming the parameter', async () => {
      const reply = await send(server, {
        method: 'GET',
        path: `/oauth2/default/v1/authorize?client_id=a%00b&response_type=code`,
      });
      assert.equal(reply.status, 400);
      const events = await server.deps.store.events.list({ outcome: 'FAILURE', limit: 20 });
      const event = events.find(
        (row) => row.type === 'app.oauth2.authorize' && row.reason.includes("'client_id'"),
      );
      assert.ok(event, JSON.stringify(events.map((row) => row.reason)));
      assert.equal(event.error, 'invalid_request');
      assert.ok(!event.reason.includes('\0'));
    });

    test('NB-01: well-formed Unicode passes the guard (é, emoji, U+FFFD, a stray %)', async () => {
      const authorize = new URLSearchParams({
        client_id: server.nativePub.client.clientId,
        redirect_uri: 'http://127.0.0.1/callback',
        response_type: 'code',
        scope: 'openid',
        // `state` is limited to VSCHAR (RFC 6749 App. A.5); the hint is free text.
        state: 'a%b',
        login_hint: 'zoë😀\ufffd%@example.com',
        code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
        code_challenge_method: 'S256',
      });
      const page = await send(server, {
        method: 'GET',
        path: `/oauth2/default/v1/authorize?${authorize}&x=%zz`,
      });
      assert.equal(page.status, 200, page.text.slice(0, 300));
      const created = await api.call('POST', '/users', {
        profile: {
          firstName: 'Zoë',
          lastName: 'Ünïcode 😀',
          email: 'zoe@example.com',
          login: 'zoë@example.com',
        },
      });
      assert.equal(created.status, 200, created.text);
      const found = await api.call('GET', `/users?q=${encodeURIComponent('zoë')}`);
      assert.equal(found.status, 200, found.text);
      assert.equal(found.body.length, 1);
    });

    test('NB-01: text the database cannot store is a 400 as a last line (SQLSTATE 22021, 22P05)', async () => {
      for (const code of ['22021', '22P05']) {
        const mapped = toStoreError(
          Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), { code }),
        );
        assert.ok(mapped instanceof UnstorableTextError, code);
        const oauth = toOAuthError(mapped);
        assert.deepEqual([oauth.error, oauth.status], ['invalid_request', 400]);
        const admin = toAdminApiError(mapped);
        assert.deepEqual([admin.status, admin.errorCode], [400, 'E0000001']);
      }
      // Past the guard, straight at the store: PostgreSQL refuses, SQLite stores the NUL.
      const lookup = server.deps.store.users.getByLogin('a\0b');
      if (server.deps.store.dialect === 'postgres') await assert.rejects(lookup, UnstorableTextError);
      else assert.equal(await lookup, undefined);
    });
  });
}

for (const database of databases) describeInputGuard(database);
