// The database as Kysely sees it: snake_case tables and columns, one schema for both dialects.
// Timestamps are epoch seconds (bigint on PostgreSQL, parsed back to numbers); booleans are 0/1 integers
// and arrays/objects JSON text, so SQLite and PostgreSQL store exactly the same values.
import type { Kysely } from 'kysely';
import type { Encoded } from './codec.ts';
import type {
  AdminSessionRow,
  ApiTokenRow,
  ApplicationType,
  ClaimRow,
  ClientAssertionRow,
  ClientMetadataDocumentRow,
  ClientRegistrationRow,
  ClientStatus,
  ConsentMethod,
  ConsentRow,
  ConsoleFlashRow,
  ConsoleFormTokenRow,
  EventOutcome,
  RefreshRotation,
  RegistrationTokenRow,
  SigningKeyStatus,
  TokenEndpointAuthMethod,
  UserStatus,
} from './store.ts';

export interface AuthorizationServersTable {
  id: string;
  name: string;
  description: string;
  audience: string;
  resources: string;
  code_lifetime_seconds: number;
  access_token_lifetime_seconds: number;
  id_token_lifetime_seconds: number;
  refresh_token_idle_seconds: number;
  refresh_token_absolute_seconds: number;
  status: 'ACTIVE' | 'INACTIVE';
  created_at: number;
  updated_at: number;
}

export interface ScopesTable {
  server_id: string;
  name: string;
  display_name: string;
  description: string;
  metadata_publish: 'ALL_CLIENTS' | 'NO_CLIENTS';
  created_at: number;
}

export interface ClientsTable {
  client_id: string;
  name: string;
  application_type: ApplicationType;
  token_endpoint_auth_method: TokenEndpointAuthMethod;
  client_secret_hash: string | null;
  jwks: string | null;
  jwks_uri: string | null;
  redirect_uris: string;
  post_logout_redirect_uris: string;
  grant_types: string;
  pkce_required: number;
  loopback_any_port: number;
  consent_method: ConsentMethod;
  refresh_rotation: RefreshRotation;
  refresh_leeway_seconds: number;
  logo_uri: string | null;
  status: ClientStatus;
  created_at: number;
  updated_at: number;
}

export interface UsersTable {
  id: string;
  login: string;
  /** Lower-cased in JS (not by the database) so both dialects agree on what "the same login" is. */
  login_lower: string;
  email: string;
  name: string;
  given_name: string | null;
  family_name: string | null;
  password_hash: string | null;
  status: UserStatus;
  is_admin: number;
  failed_logins: number;
  locked_until: number | null;
  /** Sign-ins whose password is being checked (LG-03); defaults to 0, lapses a minute after `pending_since`. */
  pending_logins: number | null;
  pending_since: number | null;
  password_changed_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface SessionsTable {
  id_hash: string;
  user_id: string;
  auth_time: number;
  amr: string;
  created_at: number;
  last_active_at: number;
  expires_at: number;
  revoked_at: number | null;
}

export interface AuthorizationRequestsTable {
  id: string;
  server_id: string;
  client_id: string;
  browser_hash: string;
  params: string;
  created_at: number;
  expires_at: number;
  completed_at: number | null;
}

export interface AuthorizationCodesTable {
  code_hash: string;
  server_id: string;
  client_id: string;
  user_id: string;
  grant_id: string;
  redirect_uri: string;
  scope: string;
  resource: string | null;
  nonce: string | null;
  code_challenge: string | null;
  code_challenge_method: string | null;
  auth_time: number;
  amr: string;
  session_id_hash: string | null;
  issued_at: number;
  expires_at: number;
  consumed_at: number | null;
}

export interface AccessTokensTable {
  jti: string;
  server_id: string;
  client_id: string;
  user_id: string | null;
  grant_id: string;
  scope: string;
  issued_at: number;
  expires_at: number;
  revoked_at: number | null;
}

export interface RefreshTokensTable {
  token_hash: string;
  family_id: string;
  generation: number;
  server_id: string;
  client_id: string;
  user_id: string;
  grant_id: string;
  scope: string;
  resource: string | null;
  auth_time: number;
  amr: string;
  issued_at: number;
  expires_at: number | null;
  idle_expires_at: number;
  rotated_at: number | null;
  successor_sealed: string | null;
  revoked_at: number | null;
}

export interface SigningKeysTable {
  kid: string;
  server_id: string;
  alg: 'RS256';
  public_jwk: string;
  private_jwe: string;
  status: SigningKeyStatus;
  created_at: number;
  activated_at: number | null;
  retired_at: number | null;
}

export interface EventsTable {
  id: string;
  time: number;
  type: string;
  outcome: EventOutcome;
  server_id: string | null;
  client_id: string | null;
  user_id: string | null;
  actor: string | null;
  ip: string | null;
  error: string | null;
  reason: string;
}

export interface RateLimitsTable {
  key: string;
  window_start: number;
  count: number;
  expires_at: number;
}

export interface SettingsTable {
  name: string;
  value: string;
}

export type ConsentsTable = Encoded<ConsentRow>;
export type ClientAssertionsTable = Encoded<ClientAssertionRow>;
export type ApiTokensTable = Encoded<ApiTokenRow>;
export type ClaimsTable = Encoded<ClaimRow>;
export type AdminSessionsTable = Encoded<AdminSessionRow>;
export type ConsoleFlashesTable = Encoded<ConsoleFlashRow>;
export type ConsoleFormTokensTable = Encoded<ConsoleFormTokenRow>;
export type ClientMetadataDocumentsTable = Encoded<ClientMetadataDocumentRow>;
export type RegistrationTokensTable = Encoded<RegistrationTokenRow>;
export type ClientRegistrationsTable = Encoded<ClientRegistrationRow>;

export interface Database {
  authorization_servers: AuthorizationServersTable;
  scopes: ScopesTable;
  clients: ClientsTable;
  users: UsersTable;
  sessions: SessionsTable;
  admin_sessions: AdminSessionsTable;
  console_flashes: ConsoleFlashesTable;
  console_form_tokens: ConsoleFormTokensTable;
  authorization_requests: AuthorizationRequestsTable;
  authorization_codes: AuthorizationCodesTable;
  access_tokens: AccessTokensTable;
  refresh_tokens: RefreshTokensTable;
  signing_keys: SigningKeysTable;
  consents: ConsentsTable;
  events: EventsTable;
  rate_limits: RateLimitsTable;
  settings: SettingsTable;
  api_tokens: ApiTokensTable;
  claims: ClaimsTable;
  client_assertions: ClientAssertionsTable;
  client_metadata_documents: ClientMetadataDocumentsTable;
  registration_tokens: RegistrationTokensTable;
  client_registrations: ClientRegistrationsTable;
}

/** The database or, inside `Store.transaction`, the current transaction. */
export type Executor = () => Kysely<Database>;
