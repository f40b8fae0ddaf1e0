// Complete rows with every optional field filled, so round-trips exercise each column.
import { randomUUID } from 'node:crypto';
import type {
  AccessTokenRow,
  AuthorizationCodeRow,
  AuthorizationRequestRow,
  AuthorizationServerRow,
  ClientRow,
  EventRow,
  RefreshTokenRow,
  SessionRow,
  SigningKeyRow,
  Store,
  UserRow,
} from '../../../src/storage/store.ts';

export type GetStore = () => Store;

export const NOW = 1_750_000_000;

export const uid = (prefix = ''): string => `${prefix}${randomUUID()}`;

export const serverRow = (o: Partial<AuthorizationServerRow> = {}): AuthorizationServerRow => ({
  id: uid('aus'),
  name: 'default',
  description: 'Default server',
  audience: 'api://default',
  resources: [],
  codeLifetimeSeconds: 60,
  accessTokenLifetimeSeconds: 3600,
  idTokenLifetimeSeconds: 3600,
  refreshTokenIdleSeconds: 604800,
  refreshTokenAbsoluteSeconds: 0,
  status: 'ACTIVE',
  createdAt: NOW,
  updatedAt: NOW,
  ...o,
});

export const clientRow = (o: Partial<ClientRow> = {}): ClientRow => ({
  clientId: uid('0oa'),
  name: 'Native app',
  applicationType: 'native',
  tokenEndpointAuthMethod: 'none',
  clientSecretHash: null,
  jwks: null,
  jwksUri: null,
  redirectUris: ['com.example.app:/oauth2redirect', 'http://127.0.0.1/callback'],
  postLogoutRedirectUris: [],
  grantTypes: ['authorization_code', 'refresh_token'],
  pkceRequired: true,
  loopbackAnyPort: false,
  consentMethod: 'TRUSTED',
  refreshRotation: 'ROTATE',
  refreshLeewaySeconds: 30,
  logoUri: null,
  status: 'ACTIVE',
  createdAt: NOW,
  updatedAt: NOW,
  ...o,
});

export const userRow = (o: Partial<UserRow> = {}): UserRow => ({
  id: uid('00u'),
  login: `${uid('user-')}@example.com`,
  email: 'user@example.com',
  name: 'Ada Lovelace',
  givenName: 'Ada',
  familyName: 'Lovelace',
  passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA',
  status: 'ACTIVE',
  isAdmin: false,
  failedLogins: 0,
  lockedUntil: null,
  passwordChangedAt: NOW - 10,
  createdAt: NOW,
  updatedAt: NOW,
  ...o,
});

export const sessionRow = (o: Partial<SessionRow> = {}): SessionRow => ({
  idHash: uid('sid'),
  userId: uid('00u'),
  authTime: NOW,
  amr: ['pwd'],
  createdAt: NOW,
  lastActiveAt: NOW,
  expiresAt: NOW + 3600,
  revokedAt: null,
  ...o,
});

export const requestRow = (o: Partial<AuthorizationRequestRow> = {}): AuthorizationRequestRow => ({
  id: uid('req'),
  serverId: 'default',
  clientId: uid('0oa'),
  browserHash: uid('bh'),
  params: { response_type: 'code', scope: 'openid profile', state: 'a "quoted" \u00e9 state' },
  createdAt: NOW,
  expiresAt: NOW + 600,
  completedAt: null,
  ...o,
});

export const codeRow = (o: Partial<AuthorizationCodeRow> = {}): AuthorizationCodeRow => ({
  codeHash: uid('code'),
  serverId: 'default',
  clientId: uid('0oa'),
  userId: uid('00u'),
  grantId: uid('grant'),
  redirectUri: 'http://127.0.0.1:53682/callback',
  scope: 'openid offline_access',
  resource: null,
  nonce: 'n-0S6_WzA2Mj',
  codeChallenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
  codeChallengeMethod: 'S256',
  authTime: NOW - 5,
  amr: ['pwd', 'mfa'],
  sessionIdHash: uid('sid'),
  issuedAt: NOW,
  expiresAt: NOW + 60,
  consumedAt: null,
  ...o,
});

export const accessRow = (o: Partial<AccessTokenRow> = {}): AccessTokenRow => ({
  jti: uid('AT.'),
  serverId: 'default',
  clientId: uid('0oa'),
  userId: uid('00u'),
  grantId: uid('grant'),
  scope: 'openid',
  issuedAt: NOW,
  expiresAt: NOW + 3600,
  revokedAt: null,
  ...o,
});

export const refreshRow = (o: Partial<RefreshTokenRow> = {}): RefreshTokenRow => ({
  tokenHash: uid('rt'),
  familyId: uid('fam'),
  generation: 0,
  serverId: 'default',
  clientId: uid('0oa'),
  userId: uid('00u'),
  grantId: uid('grant'),
  scope: 'openid offline_access',
  resource: null,
  authTime: NOW - 5,
  amr: ['pwd'],
  issuedAt: NOW,
  expiresAt: NOW + 7_776_000,
  idleExpiresAt: NOW + 604_800,
  rotatedAt: null,
  successorSealed: null,
  revokedAt: null,
  ...o,
});

export const keyRow = (serverId: string, o: Partial<SigningKeyRow> = {}): SigningKeyRow => ({
  kid: uid('kid'),
  serverId,
  alg: 'RS256',
  publicJwk: JSON.stringify({ kty: 'RSA', n: 'abc', e: 'AQAB' }),
  privateJwe: 'eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..iv.ciphertext.tag',
  status: 'NEXT',
  createdAt: NOW,
  activatedAt: null,
  retiredAt: null,
  ...o,
});

let eventCounter = 0;
/** Ids that sort by time, as the real caller generates them. */
export const eventId = (time: number): string =>
  `${String(time * 1000).padStart(15, '0')}${String(eventCounter++).padStart(6, '0')}`;

export const eventRow = (o: Partial<EventRow> & { time: number }): EventRow => ({
  id: eventId(o.time),
  type: 'app.oauth2.token.grant',
  outcome: 'SUCCESS',
  serverId: 'default',
  clientId: null,
  userId: null,
  actor: null,
  ip: '203.0.113.7',
  error: null,
  reason: 'Issued tokens',
  ...o,
});
