// JSON schemas of the admin API: Fastify validates requests with them, serializes responses through them
// (so a field not listed here, such as a secret hash, can never be sent) and @fastify/swagger builds the
// OpenAPI document from them, so the document cannot drift from the code. Shapes follow Okta's
// Management API (OKTA-COMPAT §7); Latchkey additions are marked in their descriptions.

import type { FastifyInstance } from 'fastify';

type Schema = Record<string, unknown>;

const string = (extra: Schema = {}): Schema => ({ type: 'string', ...extra });
const nullable = (type: string, extra: Schema = {}): Schema => ({ type: [type, 'null'], ...extra });
const integer = (minimum: number, maximum: number, description?: string): Schema => ({
  type: 'integer',
  minimum,
  maximum,
  ...(description === undefined ? {} : { description }),
});
const strings = (extra: Schema = {}): Schema => ({ type: 'array', items: { type: 'string' }, ...extra });
const object = (properties: Schema, required: string[] = []): Schema => ({
  type: 'object',
  properties,
  ...(required.length > 0 ? { required } : {}),
});
const time = string({ format: 'date-time' });
const links = { type: 'object', additionalProperties: true, description: 'HAL links' };

const errorSchema = object({
  errorCode: string({ example: 'E0000001' }),
  errorSummary: string(),
  errorLink: string(),
  errorId: string(),
  errorCauses: {
    type: 'array',
    items: object({
      errorSummary: string(),
      reason: string(),
      locationType: string({ enum: ['body', 'query', 'path'] }),
      location: string(),
    }),
  },
});

const oauthClientCredentials = object({
  client_id: string({ description: 'Generated; equal to the app id.' }),
  client_secret: string({
    description: 'Web and service apps with a secret method; returned once, at creation and rotation.',
  }),
  token_endpoint_auth_method: string({
    enum: ['none', 'client_secret_basic', 'client_secret_post', 'private_key_jwt'],
  }),
  pkce_required: { type: 'boolean', description: 'Always true for public clients.' },
  autoKeyRotation: { type: 'boolean' },
});

const oauthClientSettings = object({
  application_type: string({
    enum: ['native', 'browser', 'web', 'service'],
    description:
      'Fixed after creation. `service`: API Services (client credentials, no users, no redirect URIs).',
  }),
  redirect_uris: strings({ maxItems: 100 }),
  post_logout_redirect_uris: strings({ maxItems: 100 }),
  response_types: { type: 'array', items: string({ enum: ['code'] }) },
  grant_types: strings({
    description:
      'authorization_code (always, except service apps) and refresh_token; client_credentials for web and service apps.',
  }),
  jwks: {
    type: ['object', 'null'],
    properties: { keys: { type: 'array', items: { type: 'object', additionalProperties: true } } },
    description: 'private_key_jwt: the public JWK Set (RFC 7591 §2). Either this or jwks_uri.',
  },
  jwks_uri: nullable('string', { description: 'private_key_jwt: the JWK Set URL, https (RFC 7591 §2).' }),
  consent_method: string({ enum: ['TRUSTED', 'REQUIRED'] }),
  issuer_mode: string(),
  wildcard_redirect: string(),
  loopback_any_port: {
    type: 'boolean',
    description: 'Latchkey: any port on a registered http://127.0.0.1/ or http://[::1]/ URI (RFC 8252 §7.3).',
  },
  logo_uri: string({
    description: 'An https image shown on the sign-in page (RFC 7591 logo_uri); empty removes it.',
  }),
  refresh_token: object({
    rotation_type: string({ enum: ['ROTATE', 'STATIC'] }),
    leeway: integer(0, 60, 'Rotation grace period in seconds.'),
  }),
  idp_initiated_login: object({ mode: string() }),
});

const app = object({
  id: string(),
  name: string({ enum: ['oidc_client'] }),
  label: string(),
  status: string({ enum: ['ACTIVE', 'INACTIVE'] }),
  created: time,
  lastUpdated: time,
  signOnMode: string({ enum: ['OPENID_CONNECT'] }),
  credentials: object({ oauthClient: oauthClientCredentials }),
  settings: object({ oauthClient: oauthClientSettings }),
  _links: links,
});

function appInput(required: boolean): Schema {
  const settings = object(
    (oauthClientSettings as { properties: Schema }).properties,
    // redirect_uris are required of apps that sign users in (services/apps.ts), not of service apps.
    required ? ['application_type'] : [],
  );
  return object(
    {
      name: string({ enum: ['oidc_client'] }),
      label: string({ minLength: 1, maxLength: 100 }),
      signOnMode: string({ enum: ['OPENID_CONNECT'] }),
      credentials: object({ oauthClient: oauthClientCredentials }),
      settings: object({ oauthClient: settings }, required ? ['oauthClient'] : []),
    },
    required ? ['name', 'label', 'settings'] : [],
  );
}

const userProfile = object({
  login: string(),
  email: string(),
  firstName: nullable('string'),
  lastName: nullable('string'),
  displayName: string({ description: 'The full name (`name` claim); defaults to first and last name.' }),
});

const user = object({
  id: string(),
  status: string({ enum: ['ACTIVE', 'LOCKED_OUT', 'DEPROVISIONED'] }),
  created: time,
  activated: nullable('string', { format: 'date-time' }),
  statusChanged: nullable('string', { format: 'date-time' }),
  lastLogin: nullable('string', { format: 'date-time' }),
  lastUpdated: time,
  passwordChanged: nullable('string', { format: 'date-time' }),
  type: object({ id: string() }),
  profile: userProfile,
  credentials: object({
    password: { type: 'object', description: 'Present (and empty) when a password is set.' },
    provider: object({ type: string(), name: string() }),
  }),
  _links: links,
});

function userInput(required: boolean): Schema {
  const profile = (userProfile as { properties: Schema }).properties;
  return object(
    {
      profile: object(profile, required ? ['email', 'firstName'] : []),
      credentials: object({ password: object({ value: string() }, ['value']) }),
    },
    required ? ['profile'] : [],
  );
}

const LIFETIMES = {
  codeLifetimeSeconds: integer(10, 600, 'Latchkey: authorization code lifetime.'),
  accessTokenLifetimeSeconds: integer(300, 86_400, 'Latchkey: access token lifetime.'),
  idTokenLifetimeSeconds: integer(300, 86_400, 'Latchkey: ID token lifetime.'),
  refreshTokenIdleSeconds: integer(600, 157_680_000, "Okta's refreshTokenWindowMinutes, in seconds."),
  refreshTokenAbsoluteSeconds: integer(
    0,
    157_680_000,
    "Okta's refreshTokenLifetimeMinutes, in seconds; 0 = unlimited.",
  ),
};

const authorizationServer = object({
  id: string(),
  name: string(),
  description: string(),
  audiences: strings(),
  resources: strings({
    description:
      'Latchkey (RFC 8707): more resources a client may name with `resource`, absolute URIs without fragment; the audience is always allowed.',
  }),
  issuer: string(),
  issuerMode: string(),
  status: string({ enum: ['ACTIVE', 'INACTIVE'] }),
  default: { type: 'boolean' },
  created: time,
  lastUpdated: time,
  credentials: object({
    signing: object({
      rotationMode: string(),
      kid: nullable('string'),
      use: string(),
      lastRotated: nullable('string', { format: 'date-time' }),
      nextRotation: nullable('string', { format: 'date-time' }),
    }),
  }),
  ...LIFETIMES,
  _links: links,
});

function authorizationServerInput(required: boolean): Schema {
  return object(
    {
      name: string({ minLength: 1, maxLength: 100 }),
      description: string({ maxLength: 1000 }),
      audiences: strings({ minItems: 1, maxItems: 1, description: "Exactly one: the access tokens' aud." }),
      resources: strings({
        maxItems: 50,
        description: 'Latchkey (RFC 8707): replaces the declared resources; the audience is always allowed.',
      }),
      ...LIFETIMES,
    },
    required ? ['name', 'audiences'] : [],
  );
}

const scope = object({
  id: string({ description: 'The scope name.' }),
  name: string(),
  displayName: string(),
  description: string(),
  system: { type: 'boolean' },
  default: { type: 'boolean' },
  consent: string(),
  metadataPublish: string({ enum: ['ALL_CLIENTS', 'NO_CLIENTS'] }),
  _links: links,
});

const scopeSettings = {
  displayName: string(),
  description: string(),
  metadataPublish: string({ enum: ['ALL_CLIENTS', 'NO_CLIENTS'] }),
};

const claim = object({
  id: string(),
  name: string(),
  status: string({ enum: ['ACTIVE', 'INACTIVE'] }),
  claimType: string({ enum: ['RESOURCE', 'IDENTITY'] }),
  valueType: string({ enum: ['EXPRESSION'] }),
  value: string(),
  alwaysIncludeInToken: { type: 'boolean' },
  conditions: object({ scopes: strings() }),
  system: { type: 'boolean' },
  _links: links,
});

function claimInput(required: boolean): Schema {
  return object(
    {
      name: string(),
      status: string({ enum: ['ACTIVE', 'INACTIVE'] }),
      claimType: string({ enum: ['RESOURCE', 'IDENTITY'] }),
      valueType: string({ description: 'Only EXPRESSION is supported.' }),
      value: string({
        description:
          'user.email, user.login, user.name, user.firstName, user.lastName, app.clientId or a quoted string.',
      }),
      alwaysIncludeInToken: { type: 'boolean' },
      conditions: object({ scopes: strings() }),
    },
    required ? ['name', 'claimType', 'value'] : [],
  );
}

const key = object({
  kid: string(),
  kty: string(),
  alg: string(),
  use: string(),
  e: string(),
  n: string(),
  status: string({ enum: ['NEXT', 'ACTIVE', 'EXPIRED'] }),
  created: time,
});

const nullableId = nullable('string');
const logEvent = object({
  uuid: string(),
  published: time,
  eventType: string(),
  version: string(),
  severity: string({ enum: ['INFO', 'WARN'] }),
  displayMessage: string(),
  actor: nullable('object', {
    properties: { id: string(), type: string(), alternateId: nullableId, displayName: nullableId },
  }),
  client: object({ id: nullableId, ipAddress: nullableId }),
  outcome: object({ result: string({ enum: ['SUCCESS', 'FAILURE'] }), reason: string() }),
  target: { type: 'array', items: object({ id: string(), type: string() }) },
  debugContext: object({ debugData: { type: 'object', additionalProperties: { type: 'string' } } }),
  request: object({ ipChain: { type: 'array', items: object({ ip: string() }) } }),
});

const apiToken = object({
  id: string(),
  name: string(),
  clientName: string(),
  status: string({ enum: ['ACTIVE', 'EXPIRED', 'REVOKED'] }),
  createdBy: {
    ...nullableId,
    description: 'Latchkey: who made the token, the admin user id or `cli:<os user>`; null if unknown.',
  },
  created: time,
  expiresAt: nullable('string', { format: 'date-time', description: 'null: the token never expires.' }),
  lastUpdated: time,
  lastUsed: nullable('string', { format: 'date-time' }),
  _links: links,
});

const apiTokenCreate = object(
  {
    name: string({ minLength: 1, maxLength: 100 }),
    expiresAt: nullable('string', {
      format: 'date-time',
      description:
        'Latchkey: when the token stops working; null or absent: never, but never later than the token making it.',
    }),
  },
  ['name'],
);

/** The answer to a create: the token itself, shown this once. */
const apiTokenCreated = {
  ...apiToken,
  properties: {
    ...(apiToken['properties'] as Schema),
    token: string({ description: 'The token, shown only in this response; only its SHA-256 is stored.' }),
  },
};

/** Registers the shared schemas (OpenAPI `components.schemas`) on the admin API instance. */
export function addAdminSchemas(api: FastifyInstance): void {
  const schemas: Record<string, Schema> = {
    Error: errorSchema,
    Application: app,
    ApplicationCreate: appInput(true),
    ApplicationUpdate: appInput(false),
    OAuthClientCredentials: oauthClientCredentials,
    User: user,
    UserCreate: userInput(true),
    UserUpdate: userInput(false),
    AuthorizationServer: authorizationServer,
    AuthorizationServerCreate: authorizationServerInput(true),
    AuthorizationServerUpdate: authorizationServerInput(false),
    OAuth2Scope: scope,
    OAuth2ScopeCreate: object({ name: string(), ...scopeSettings }, ['name']),
    OAuth2ScopeUpdate: object(scopeSettings),
    OAuth2Claim: claim,
    OAuth2ClaimCreate: claimInput(true),
    OAuth2ClaimUpdate: claimInput(false),
    JsonWebKey: key,
    LogEvent: logEvent,
    ApiToken: apiToken,
    ApiTokenCreate: apiTokenCreate,
    ApiTokenCreated: apiTokenCreated,
  };
  for (const [id, schema] of Object.entries(schemas)) api.addSchema({ $id: id, ...schema });
}
