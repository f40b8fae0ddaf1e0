// The peer: node-oidc-provider (oidc-provider@9 on npm), loaded from a scratch folder outside the repository
// (PEER_DIR, default /tmp/bench-peer; see bench/README.md). In-memory adapter, RS256 keys, one public native
// client with a loopback redirect URI, PKCE required, its development login/consent pages, rotating refresh
// tokens, and JWT access tokens for the audience api://default, as Latchkey issues them.

import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { AUDIENCE, PEER_CLIENT_ID, PEER_SCOPES, REDIRECT_URI } from '../lib/constants.ts';

// The few parts of oidc-provider's API used here (the package ships no types; @types/oidc-provider is not
// installed, to keep the peer's folder to the one package).
interface PeerProvider {
  callback(): (request: unknown, response: unknown) => void;
  on(event: string, listener: (...args: unknown[]) => void): void;
}
type ProviderConstructor = new (issuer: string, configuration: Record<string, unknown>) => PeerProvider;
interface Policy {
  get(name: string): { checks: { remove(reason: string): void } };
}
interface PeerModule {
  default: ProviderConstructor;
  interactionPolicy: { base(): Policy };
}
interface Grant {
  jti: string;
  addOIDCScope(scope: string): void;
  addResourceScope(resource: string, scope: string): void;
  save(): Promise<string>;
}
interface GrantModel {
  new (properties: { accountId: string; clientId: string }): Grant;
  find(id: string): Promise<Grant | undefined>;
}
interface AuthorizationContext {
  oidc: {
    provider: { Grant: GrantModel };
    client: { clientId: string };
    account?: { accountId: string };
    session: { grantIdFor(clientId: string): string | undefined };
    result?: { consent?: { grantId?: string } };
    requestParamOIDCScopes: Set<string>;
    requestParamScopes: Set<string>;
  };
}
interface Client {
  grantTypeAllowed(grant: string): boolean;
}
interface ScopedSource {
  scopes: Set<string>;
}

const peerDir = process.env['PEER_DIR'] ?? '/tmp/bench-peer';
const port = Number(process.env['PORT'] ?? 0);
const issuer = process.env['ISSUER'] ?? `http://127.0.0.1:${port}`;

const entry = createRequire(join(peerDir, 'package.json')).resolve('oidc-provider');
const { default: Provider, interactionPolicy } = (await import(pathToFileURL(entry).href)) as PeerModule;

// The bench app is first-party on both sides: Latchkey's apps are trusted (no consent page) unless made
// `--consent required`. oidc-provider asks native clients for consent on every authorization by default
// (check `native_client_prompt`) and asks for a first grant; both are turned off here the documented way
// (interaction policy, loadExistingGrant), so a sign-in is the login page only and a session answers at once.
const policy = interactionPolicy.base();
policy.get('consent').checks.remove('native_client_prompt');

async function loadExistingGrant(ctx: AuthorizationContext): Promise<Grant | undefined> {
  const { oidc } = ctx;
  const grantId = oidc.result?.consent?.grantId ?? oidc.session.grantIdFor(oidc.client.clientId);
  if (grantId !== undefined) return oidc.provider.Grant.find(grantId);
  if (oidc.account === undefined) return undefined;
  const grant = new oidc.provider.Grant({
    accountId: oidc.account.accountId,
    clientId: oidc.client.clientId,
  });
  grant.addOIDCScope([...oidc.requestParamOIDCScopes].join(' '));
  grant.addResourceScope(AUDIENCE, [...oidc.requestParamScopes].join(' '));
  await grant.save();
  return grant;
}

// RS256 with a 2048-bit RSA key, like Latchkey's signing keys.
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'bench-rs256', alg: 'RS256', use: 'sig' };

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: PEER_CLIENT_ID,
      application_type: 'native',
      token_endpoint_auth_method: 'none',
      // oidc-provider accepts http redirect URIs for native clients only on localhost, 127.0.0.1 or [::1],
      // and matches them on any port (RFC 8252 §7.3).
      redirect_uris: [REDIRECT_URI],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
    },
  ],
  jwks: { keys: [jwk] },
  cookies: { keys: [randomBytes(32).toString('base64url')] },
  scopes: PEER_SCOPES,
  claims: { openid: ['sub'], profile: ['name'], email: ['email', 'email_verified'] },
  findAccount: (_ctx: unknown, sub: string) => ({
    accountId: sub,
    claims: () => ({ sub, name: 'Bench', email: sub, email_verified: true }),
  }),
  // PKCE is required for public clients by default in v9; said here so the benchmark does not depend on it.
  pkce: { required: () => true },
  features: {
    // The built-in development login and consent pages: any login, no password check.
    devInteractions: { enabled: true },
    // JWT access tokens (audience api://default), as Latchkey issues them; without this the peer would issue
    // opaque access tokens and skip one RSA signature per grant.
    resourceIndicators: {
      enabled: true,
      defaultResource: () => AUDIENCE,
      useGrantedResource: () => true,
      getResourceServerInfo: () => ({
        audience: AUDIENCE,
        scope: PEER_SCOPES.join(' '),
        accessTokenFormat: 'jwt',
        accessTokenTTL: 3600,
        jwt: { sign: { alg: 'RS256' } },
      }),
    },
  },
  interactions: { policy },
  loadExistingGrant,
  issueRefreshToken: (_ctx: unknown, client: Client, source: ScopedSource) =>
    client.grantTypeAllowed('refresh_token') && source.scopes.has('offline_access'),
  rotateRefreshToken: () => true,
  ttl: {
    AccessToken: 3600,
    AuthorizationCode: 60,
    IdToken: 3600,
    Interaction: 900,
    Grant: 7 * 24 * 3600,
    RefreshToken: 7 * 24 * 3600,
    Session: 24 * 3600,
  },
});
provider.on('server_error', (_ctx, error) => {
  process.stderr.write(`peer server_error: ${error instanceof Error ? error.stack : String(error)}\n`);
});

const server = createServer(provider.callback() as Parameters<typeof createServer>[0]);
server.keepAliveTimeout = 30_000;
server.listen(port, '127.0.0.1', () => {
  const address = server.address();
  const actual = typeof address === 'object' && address !== null ? address.port : port;
  process.stdout.write(`READY http://127.0.0.1:${actual}\n`);
});

const stop = (): void => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
