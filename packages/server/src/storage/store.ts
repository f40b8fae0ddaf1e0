// The storage contract. Every concern gets a part; rows are plain data with epoch-second timestamps.
// Secrets (codes, refresh tokens, session ids, client secrets) only ever arrive here as SHA-256 hashes
// (hex); private keys only as JWE. Expiry checks take `now` from the caller: the store never reads a clock.

/** `service`: Okta's API Services app, a machine client with no users and no redirect URIs. */
export type ApplicationType = 'native' | 'browser' | 'web' | 'service';
export type TokenEndpointAuthMethod =
  | 'none'
  | 'client_secret_basic'
  | 'client_secret_post'
  | 'private_key_jwt';
export type ClientStatus = 'ACTIVE' | 'INACTIVE';
export type UserStatus = 'ACTIVE' | 'DEPROVISIONED';
/** EXPIRED: retired long enough that no token it signed is still valid; unpublished, row kept. */
export type SigningKeyStatus = 'NEXT' | 'ACTIVE' | 'RETIRED' | 'EXPIRED' | 'REVOKED';
export type RefreshRotation = 'ROTATE' | 'STATIC';
export type ConsentMethod = 'TRUSTED' | 'REQUIRED';

export interface AuthorizationServerRow {
  id: string;
  name: string;
  description: string;
  /** The access token `aud` (Okta keeps one audience per server); the default resource, always allowed. */
  audience: string;
  /** More resources a client may name with `resource` (RFC 8707 §2): absolute URIs without a fragment. */
  resources: string[];
  codeLifetimeSeconds: number;
  accessTokenLifetimeSeconds: number;
  idTokenLifetimeSeconds: number;
  /** Refresh-token idle window; Okta's `refreshTokenWindowMinutes`. */
  refreshTokenIdleSeconds: number;
  /** 0 = unlimited; Okta's `refreshTokenLifetimeMinutes`. */
  refreshTokenAbsoluteSeconds: number;
  status: 'ACTIVE' | 'INACTIVE';
  createdAt: number;
  updatedAt: number;
}

export interface ScopeRow {
  serverId: string;
  name: string;
  displayName: string;
  description: string;
  metadataPublish: 'ALL_CLIENTS' | 'NO_CLIENTS';
  createdAt: number;
}

export interface ClientRow {
  clientId: string;
  name: string;
  applicationType: ApplicationType;
  tokenEndpointAuthMethod: TokenEndpointAuthMethod;
  /** SHA-256 (hex) of the client secret; null for public clients and private_key_jwt apps. */
  clientSecretHash: string | null;
  /** private_key_jwt: the app's public JWK Set as JSON text (RFC 7591 §2 `jwks`), or null. */
  jwks: string | null;
  /** private_key_jwt: where the app publishes its JWK Set (RFC 7591 §2 `jwks_uri`), or null. */
  jwksUri: string | null;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  grantTypes: string[];
  pkceRequired: boolean;
  /** RFC 8252 §7.3: any port on a registered http://127.0.0.1/… or http://[::1]/… URI. */
  loopbackAnyPort: boolean;
  consentMethod: ConsentMethod;
  refreshRotation: RefreshRotation;
  /** Rotation grace period in seconds, 0–60 (Okta's `leeway`). */
  refreshLeewaySeconds: number;
  /** An https image shown on the sign-in page (RFC 7591 §2 `logo_uri`); null when none is set. */
  logoUri: string | null;
  status: ClientStatus;
  createdAt: number;
  updatedAt: number;
}

export interface UserRow {
  id: string;
  login: string;
  email: string;
  name: string;
  givenName: string | null;
  familyName: string | null;
  /** PHC string (argon2id); null when no password is set. */
  passwordHash: string | null;
  status: UserStatus;
  isAdmin: boolean;
  failedLogins: number;
  lockedUntil: number | null;
  passwordChangedAt: number | null;
  createdAt: number;
  updatedAt: number;
}

export interface SessionRow {
  idHash: string;
  userId: string;
  authTime: number;
  amr: string[];
  createdAt: number;
  lastActiveAt: number;
  expiresAt: number;
  revokedAt: number | null;
}

/** A console sign-in (SECURITY-MATRIX AD-01): separate from SSO sessions, with shorter lifetimes. */
export interface AdminSessionRow {
  idHash: string;
  userId: string;
  createdAt: number;
  lastActiveAt: number;
  expiresAt: number;
  revokedAt: number | null;
}

/** A pending /authorize request waiting for the user to sign in (held in the database, RL-06). */
export interface AuthorizationRequestRow {
  id: string;
  serverId: string;
  clientId: string;
  /** SHA-256 of the browser-binding cookie, so the transaction cannot move to another browser (LG-02). */
  browserHash: string;
  /** The validated request, as JSON-able data. */
  params: Record<string, string>;
  createdAt: number;
  expiresAt: number;
  completedAt: number | null;
}

export interface AuthorizationCodeRow {
  codeHash: string;
  serverId: string;
  clientId: string;
  userId: string;
  /** Every token minted from this code carries it, so a replay can revoke them (RFC 6749 §4.1.2). */
  grantId: string;
  redirectUri: string;
  scope: string;
  /** The resource asked for at /authorize (RFC 8707 §2); null: the server's audience. */
  resource: string | null;
  nonce: string | null;
  codeChallenge: string | null;
  codeChallengeMethod: string | null;
  authTime: number;
  amr: string[];
  sessionIdHash: string | null;
  issuedAt: number;
  expiresAt: number;
  consumedAt: number | null;
}

export interface AccessTokenRow {
  jti: string;
  serverId: string;
  clientId: string;
  userId: string | null;
  grantId: string;
  scope: string;
  issuedAt: number;
  expiresAt: number;
  revokedAt: number | null;
}

export interface RefreshTokenRow {
  tokenHash: string;
  familyId: string;
  /** Monotonic within a family (RT-02: generations are not told apart by `iat` seconds). */
  generation: number;
  serverId: string;
  clientId: string;
  userId: string;
  grantId: string;
  scope: string;
  /** The grant's resource (RFC 8707 §2); null: the server's audience. */
  resource: string | null;
  authTime: number;
  amr: string[];
  issuedAt: number;
  /** Absolute end of the family (null = unlimited). */
  expiresAt: number | null;
  idleExpiresAt: number;
  rotatedAt: number | null;
  /** The successor sealed under a key derived from this token (SECURITY-MATRIX rule 3). */
  successorSealed: string | null;
  revokedAt: number | null;
}

export interface SigningKeyRow {
  kid: string;
  serverId: string;
  alg: 'RS256';
  /** Public JWK as JSON text. */
  publicJwk: string;
  /** Private JWK sealed as compact JWE (dir + A256GCM) under a key derived from LATCHKEY_SECRET. */
  privateJwe: string;
  status: SigningKeyStatus;
  createdAt: number;
  activatedAt: number | null;
  retiredAt: number | null;
}

/** A user's remembered consent to an app's scopes on one authorization server. */
export interface ConsentRow {
  userId: string;
  clientId: string;
  serverId: string;
  scopes: string[];
  createdAt: number;
  updatedAt: number;
}

export type EventOutcome = 'SUCCESS' | 'FAILURE';

export interface EventRow {
  id: string;
  time: number;
  /** e.g. `app.oauth2.authorize`, `app.oauth2.token.grant`, `user.authentication.sso` */
  type: string;
  outcome: EventOutcome;
  serverId: string | null;
  clientId: string | null;
  userId: string | null;
  actor: string | null;
  ip: string | null;
  /** The OAuth error code when there is one. */
  error: string | null;
  /** What happened, in plain words. Never a secret. */
  reason: string;
}

export interface EventQuery {
  serverId?: string;
  clientId?: string;
  userId?: string;
  outcome?: EventOutcome;
  since?: number;
  until?: number;
  /** Page backwards from this event id (exclusive). */
  before?: string;
  limit: number;
}

export interface AuthorizationServerStore {
  create(row: AuthorizationServerRow): Promise<void>;
  get(id: string): Promise<AuthorizationServerRow | undefined>;
  list(): Promise<AuthorizationServerRow[]>;
  update(id: string, patch: Partial<Omit<AuthorizationServerRow, 'id' | 'createdAt'>>): Promise<boolean>;
  addScope(row: ScopeRow): Promise<void>;
  listScopes(serverId: string): Promise<ScopeRow[]>;
  deleteScope(serverId: string, name: string): Promise<boolean>;
}

export interface ClientStore {
  create(row: ClientRow): Promise<void>;
  get(clientId: string): Promise<ClientRow | undefined>;
  list(): Promise<ClientRow[]>;
  update(clientId: string, patch: Partial<Omit<ClientRow, 'clientId' | 'createdAt'>>): Promise<boolean>;
  delete(clientId: string): Promise<boolean>;
}

export interface LoginAttemptPolicy {
  now: number;
  threshold: number;
  lockSeconds: number;
}

export interface UserStore {
  /** Throws `DuplicateError` when the login is taken (logins compare case-insensitively). */
  create(row: UserRow): Promise<void>;
  get(id: string): Promise<UserRow | undefined>;
  getByLogin(login: string): Promise<UserRow | undefined>;
  /** `admin: true` lists only users with the admin role. */
  list(query: { limit: number; after?: string; search?: string; admin?: boolean }): Promise<UserRow[]>;
  update(id: string, patch: Partial<Omit<UserRow, 'id' | 'createdAt'>>): Promise<boolean>;
  /**
   * Starts a sign-in attempt before its password is checked, in one atomic step with the lock check
   * (LG-03): false when the account is locked (or unknown), or when its failures plus the attempts already
   * in flight reach `threshold`, so no burst gets more passwords checked than the lock allows. Once a lock
   * has ended, failures count from 0 again. Every started attempt ends with `failLogin` or `completeLogin`.
   */
  beginLogin(id: string, options: LoginAttemptPolicy): Promise<boolean>;
  /** A wrong password: counts a failure; the failure that reaches `threshold` locks (true: this one did). */
  failLogin(id: string, options: LoginAttemptPolicy): Promise<boolean>;
  /**
   * A right password: clears the failures, unless failures checked beside it locked the account meanwhile
   * (then false: the success is refused).
   */
  completeLogin(id: string, options: Pick<LoginAttemptPolicy, 'now'>): Promise<boolean>;
  /** Clears the count and any lock (an admin's unlock). */
  resetFailedLogins(id: string): Promise<void>;
  /** Deletes the user row; sessions, tokens and consents are the caller's to end first. */
  delete(id: string): Promise<boolean>;
}

export interface SessionStore {
  create(row: SessionRow): Promise<void>;
  /** A live session: not revoked, `expiresAt > now`. */
  get(idHash: string, now: number): Promise<SessionRow | undefined>;
  touch(idHash: string, now: number): Promise<void>;
  revoke(idHash: string, now: number): Promise<void>;
  revokeForUser(userId: string, now: number): Promise<number>;
}

export interface AdminSessionStore {
  create(row: AdminSessionRow): Promise<void>;
  /** A live session: not revoked, `expiresAt > now`. */
  get(idHash: string, now: number): Promise<AdminSessionRow | undefined>;
  touch(idHash: string, now: number): Promise<void>;
  revoke(idHash: string, now: number): Promise<void>;
  revokeForUser(userId: string, now: number): Promise<number>;
}

/** A one-time secret waiting to be shown on the page after a console post (issue 12, Post/Redirect/Get). */
export interface ConsoleFlashRow {
  /** SHA-256 (hex) of the admin session's cookie value: only that session can read it. */
  sessionHash: string;
  /** What it belongs to, e.g. `client:0oa…` or `token:…`. */
  subject: string;
  /** The secret as compact JWE under a key from LATCHKEY_SECRET, never in the clear. */
  sealed: string;
  expiresAt: number;
}

/** A one-time form token that has been used; kept until the token could no longer be accepted anyway. */
export interface ConsoleFormTokenRow {
  /** SHA-256 (hex) of the token in the form. */
  tokenHash: string;
  sessionHash: string;
  expiresAt: number;
}

/** The console's server-side Post/Redirect/Get state (issue 12). */
export interface ConsoleStateStore {
  /** Stores a flash; one per session and subject, a newer one replaces the older. */
  putFlash(row: ConsoleFlashRow): Promise<void>;
  /** Deletes and returns the session's live flash for `subject`: it is shown exactly once. */
  takeFlash(sessionHash: string, subject: string, now: number): Promise<string | undefined>;
  /** Records a form token as used: true for exactly one caller, false when it was used before. */
  spendFormToken(row: ConsoleFormTokenRow): Promise<boolean>;
}

export interface AuthorizationRequestStore {
  create(row: AuthorizationRequestRow): Promise<void>;
  get(id: string): Promise<AuthorizationRequestRow | undefined>;
  /** Marks the request completed; true for exactly one caller, and only before `expiresAt`. */
  complete(id: string, now: number): Promise<boolean>;
}

export interface AuthorizationCodeStore {
  create(row: AuthorizationCodeRow): Promise<void>;
  find(codeHash: string): Promise<AuthorizationCodeRow | undefined>;
  /**
   * One conditional write (`consumed_at IS NULL AND expires_at > now`): true for exactly one caller,
   * on any number of instances (SECURITY-MATRIX rule 5).
   */
  consume(codeHash: string, now: number): Promise<boolean>;
}

export interface AccessTokenStore {
  create(row: AccessTokenRow): Promise<void>;
  get(jti: string): Promise<AccessTokenRow | undefined>;
  /** Revokes one access token (RFC 7009); true when it was live and is now revoked. */
  revoke(jti: string, now: number): Promise<boolean>;
  revokeGrant(grantId: string, now: number): Promise<number>;
  /** Revokes every live access token of one user (sign-out everywhere, RT-07); returns how many. */
  revokeForUser(userId: string, now: number): Promise<number>;
  /** Revokes every live access token of one app (deactivated or deleted, RT-08); returns how many. */
  revokeForClient(clientId: string, now: number): Promise<number>;
}

export interface RefreshTokenStore {
  create(row: RefreshTokenRow): Promise<void>;
  get(tokenHash: string): Promise<RefreshTokenRow | undefined>;
  /**
   * Marks the token rotated and keeps its sealed successor, in one conditional write
   * (`rotated_at IS NULL AND revoked_at IS NULL`): true for exactly one caller, on any number of
   * instances (SECURITY-MATRIX rule 5).
   */
  rotate(tokenHash: string, update: { now: number; successorSealed: string }): Promise<boolean>;
  /** Restarts the idle window of a live (neither rotated nor revoked) token; false when it is not live. */
  touch(tokenHash: string, idleExpiresAt: number): Promise<boolean>;
  revokeGrant(grantId: string, now: number): Promise<number>;
  /** Revokes every live refresh token of one user (sign-out everywhere, RT-07); returns how many. */
  revokeForUser(userId: string, now: number): Promise<number>;
  /** Revokes every live refresh token of one app (deactivated or deleted, RT-08); returns how many. */
  revokeForClient(clientId: string, now: number): Promise<number>;
}

export interface SigningKeyStore {
  create(row: SigningKeyRow): Promise<void>;
  listForServer(serverId: string): Promise<SigningKeyRow[]>;
  /**
   * With `ifStatus`, one conditional write (`… WHERE kid = ? AND status = ?`): false when the key has
   * moved on meanwhile, so concurrent rotations on several instances cannot undo each other (rule 7).
   */
  update(
    kid: string,
    patch: Partial<Pick<SigningKeyRow, 'status' | 'activatedAt' | 'retiredAt'>>,
    options?: { ifStatus?: SigningKeyStatus },
  ): Promise<boolean>;
}

export interface ConsentStore {
  get(userId: string, clientId: string, serverId: string): Promise<ConsentRow | undefined>;
  /** Creates or replaces the consent of this user for this app on this server. */
  put(row: ConsentRow): Promise<void>;
  revoke(userId: string, clientId: string, serverId: string): Promise<boolean>;
  listForUser(userId: string): Promise<ConsentRow[]>;
}

export interface EventStore {
  append(row: EventRow): Promise<void>;
  /** Newest first. */
  list(query: EventQuery): Promise<EventRow[]>;
}

export interface RateLimitStore {
  /** Adds one hit to `key` in the window starting at `windowStart`; returns the count in that window. */
  hit(key: string, windowStart: number, expiresAt: number): Promise<number>;
}

/** The `jti` of an accepted client assertion, kept until `expiresAt` (RFC 7523 §3 item 7). */
export interface ClientAssertionRow {
  clientId: string;
  /** SHA-256 (hex) of the `jti`. */
  jtiHash: string;
  expiresAt: number;
}

export interface ClientAssertionStore {
  /**
   * Records a `jti` as used, in one conditional insert: true for exactly one caller, false when this
   * client already used it (a replay), on any number of instances.
   */
  use(row: ClientAssertionRow): Promise<boolean>;
}

/** What the retention sweeper deletes (issue 8 §7). */
export type RetentionKind =
  | 'authorizationCodes'
  | 'authorizationRequests'
  | 'accessTokens'
  | 'refreshTokens'
  | 'sessions'
  | 'adminSessions'
  | 'consoleState'
  | 'rateLimits'
  | 'clientAssertions'
  | 'events';

export interface RetentionStore {
  /**
   * Deletes at most `limit` rows of `kind` that expired at or before `cutoff` (events: logged before it;
   * refresh tokens: whole families none of whose members is usable at `cutoff`). Returns how many went.
   */
  sweep(kind: RetentionKind, cutoff: number, limit: number): Promise<number>;
}

export interface SettingStore {
  get(name: string): Promise<string | undefined>;
  /** Sets the value unless one exists; returns the value that is stored afterwards. */
  setIfAbsent(name: string, value: string): Promise<string>;
}

/** An admin API token (Okta's `SSWS` token). Only its SHA-256 (hex) is stored; the token is shown once. */
export interface ApiTokenRow {
  id: string;
  name: string;
  tokenHash: string;
  /** Who made it: `cli:<os user>` or the admin's user id. */
  createdBy: string | null;
  createdAt: number;
  /** After this (epoch seconds) the token is refused; null: it never expires. */
  expiresAt: number | null;
  lastUsedAt: number | null;
  revokedAt: number | null;
}

export interface ApiTokenStore {
  create(row: ApiTokenRow): Promise<void>;
  get(id: string): Promise<ApiTokenRow | undefined>;
  getByHash(tokenHash: string): Promise<ApiTokenRow | undefined>;
  /** Oldest first. */
  list(): Promise<ApiTokenRow[]>;
  /** True when the token was live and is now revoked. */
  revoke(id: string, now: number): Promise<boolean>;
  /** Records a use; never moves `lastUsedAt` backwards. */
  touch(id: string, now: number): Promise<void>;
}

export type ClaimType = 'RESOURCE' | 'IDENTITY';

/** A custom claim of an authorization server (OKTA-COMPAT §7.2). */
export interface ClaimRow {
  id: string;
  serverId: string;
  name: string;
  /** RESOURCE: access tokens; IDENTITY: ID tokens. */
  claimType: ClaimType;
  valueType: 'EXPRESSION';
  /** An expression such as `user.email`, or a quoted string literal. */
  value: string;
  /** Okta's `conditions.scopes`: the claim is added when one of them is granted; empty means always. */
  scopes: string[];
  alwaysIncludeInToken: boolean;
  status: 'ACTIVE' | 'INACTIVE';
  createdAt: number;
  updatedAt: number;
}

export interface ClaimStore {
  /** Throws `DuplicateError` when the server has a claim of that type and name. */
  create(row: ClaimRow): Promise<void>;
  get(serverId: string, id: string): Promise<ClaimRow | undefined>;
  /** By name, then type. */
  listForServer(serverId: string): Promise<ClaimRow[]>;
  update(
    serverId: string,
    id: string,
    patch: Partial<Omit<ClaimRow, 'id' | 'serverId' | 'createdAt'>>,
  ): Promise<boolean>;
  delete(serverId: string, id: string): Promise<boolean>;
}

/**
 * A fetched and validated Client ID Metadata Document (draft-ietf-oauth-client-id-metadata-document §4):
 * the client id is the document's https URL.
 */
export interface ClientMetadataDocumentRow {
  clientId: string;
  /** The URL's host (with port), shown as "Unverified app from <host>". */
  host: string;
  clientName: string | null;
  /** The validated document as JSON text. */
  document: string;
  fetchedAt: number;
  /** From the response's cache headers, within the configured bounds. */
  expiresAt: number;
  /** The last /authorize or token request that named this client. */
  lastSeenAt: number;
}

export interface ClientMetadataDocumentStore {
  get(clientId: string): Promise<ClientMetadataDocumentRow | undefined>;
  /** Inserts or replaces the document (a refetch keeps nothing of the old one). */
  put(row: ClientMetadataDocumentRow): Promise<void>;
  /** Records a use; never moves `lastSeenAt` backwards. */
  touch(clientId: string, now: number): Promise<void>;
  /** The most recently seen first. */
  listRecent(limit: number): Promise<ClientMetadataDocumentRow[]>;
  /** Deletes the rows last seen before `cutoff`; returns how many went. */
  prune(cutoff: number): Promise<number>;
}

/** An initial access token for dynamic client registration (RFC 7591 §3); only its SHA-256 is stored. */
export interface RegistrationTokenRow {
  id: string;
  name: string;
  tokenHash: string;
  createdBy: string | null;
  createdAt: number;
  expiresAt: number | null;
  revokedAt: number | null;
}

export interface RegistrationTokenStore {
  create(row: RegistrationTokenRow): Promise<void>;
  getByHash(tokenHash: string): Promise<RegistrationTokenRow | undefined>;
  /** Oldest first. */
  list(): Promise<RegistrationTokenRow[]>;
  /** True when the token was live and is now revoked. */
  revoke(id: string, now: number): Promise<boolean>;
}

/** A dynamically registered client's registration access token (RFC 7592 §1), as SHA-256. */
export interface ClientRegistrationRow {
  clientId: string;
  accessTokenHash: string;
  createdAt: number;
}

export interface ClientRegistrationStore {
  create(row: ClientRegistrationRow): Promise<void>;
  get(clientId: string): Promise<ClientRegistrationRow | undefined>;
  delete(clientId: string): Promise<boolean>;
}

export interface Store {
  readonly dialect: 'sqlite' | 'postgres';
  authorizationServers: AuthorizationServerStore;
  clients: ClientStore;
  users: UserStore;
  sessions: SessionStore;
  adminSessions: AdminSessionStore;
  consoleState: ConsoleStateStore;
  authorizationRequests: AuthorizationRequestStore;
  authorizationCodes: AuthorizationCodeStore;
  accessTokens: AccessTokenStore;
  refreshTokens: RefreshTokenStore;
  signingKeys: SigningKeyStore;
  consents: ConsentStore;
  events: EventStore;
  rateLimits: RateLimitStore;
  retention: RetentionStore;
  settings: SettingStore;
  apiTokens: ApiTokenStore;
  claims: ClaimStore;
  clientAssertions: ClientAssertionStore;
  clientMetadataDocuments: ClientMetadataDocumentStore;
  registrationTokens: RegistrationTokenStore;
  clientRegistrations: ClientRegistrationStore;
  /** Runs `fn` in one database transaction (`BEGIN IMMEDIATE` on SQLite); nested calls reuse it. */
  transaction<T>(fn: (store: Store) => Promise<T>): Promise<T>;
  /** Resolves when the database answers; used by /readyz. */
  ping(): Promise<void>;
  /** The database server's clock, epoch milliseconds (rule 6: the clock every instance follows). */
  databaseTimeMs(): Promise<number>;
  close(): Promise<void>;
}

/** A unique constraint was violated (e.g. a login that is already taken). */
export class DuplicateError extends Error {
  constructor(readonly entity: string) {
    super(`${entity} already exists`);
    this.name = 'DuplicateError';
  }
}

/**
 * PostgreSQL refused text it cannot hold (SQLSTATE 22021 character_not_in_repertoire, 22P05
 * untranslatable_character: a NUL or bytes that are not UTF-8). The input's fault, so a 400; the input
 * guard (http/input-guard.ts) should have refused it first, and this is the last line (NB-01).
 */
export class UnstorableTextError extends Error {
  readonly statusCode = 400;
  constructor(cause: unknown) {
    super(
      'The request contains text that cannot be stored (a NUL character or bytes that are not UTF-8). Remove it and try again.',
      { cause },
    );
    this.name = 'UnstorableTextError';
  }
}

/** The database could not be reached or timed out; endpoints answer 503 (SECURITY-MATRIX rule 4). */
export class StoreUnavailableError extends Error {
  constructor(cause: unknown) {
    super('The database is unavailable', { cause });
    this.name = 'StoreUnavailableError';
  }
}
