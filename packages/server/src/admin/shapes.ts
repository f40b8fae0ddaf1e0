// Rows → Okta's Management API JSON (OKTA-COMPAT §7): what the admin API sends (bodies.ts goes the other
// way). Secrets never appear here except the client secret handed in once.

import type { JWK } from 'jose';
import { issuerFor } from '../oauth/discovery.ts';
import { publishedKeys, type RotationTimes } from '../oauth/keys/rotation.ts';
import { apiTokenStatus } from '../services/api-tokens.ts';
import type {
  ApiTokenRow,
  AuthorizationServerRow,
  ClaimRow,
  ClientRow,
  EventRow,
  ScopeRow,
  SigningKeyRow,
  UserRow,
} from '../storage/store.ts';

export type Json = Record<string, unknown>;

export const iso = (epochSeconds: number): string => new Date(epochSeconds * 1000).toISOString();
const isoOrNull = (epochSeconds: number | null | undefined): string | null =>
  epochSeconds === null || epochSeconds === undefined ? null : iso(epochSeconds);
const link = (href: string, extra: Json = {}): Json => ({ href, ...extra });

export function appJson(client: ClientRow, base: string, clientSecret?: string): Json {
  const self = `${base}/apps/${client.clientId}`;
  const lifecycle = client.status === 'ACTIVE' ? 'deactivate' : 'activate';
  return {
    id: client.clientId,
    name: 'oidc_client',
    label: client.name,
    status: client.status,
    created: iso(client.createdAt),
    lastUpdated: iso(client.updatedAt),
    signOnMode: 'OPENID_CONNECT',
    credentials: {
      oauthClient: {
        client_id: client.clientId,
        ...(clientSecret === undefined ? {} : { client_secret: clientSecret }),
        token_endpoint_auth_method: client.tokenEndpointAuthMethod,
        pkce_required: client.pkceRequired,
        autoKeyRotation: true,
      },
    },
    settings: {
      oauthClient: {
        application_type: client.applicationType,
        redirect_uris: client.redirectUris,
        post_logout_redirect_uris: client.postLogoutRedirectUris,
        response_types: ['code'],
        grant_types: client.grantTypes,
        consent_method: client.consentMethod,
        issuer_mode: 'ORG_URL',
        wildcard_redirect: 'DISABLED',
        loopback_any_port: client.loopbackAnyPort,
        ...(client.logoUri === null ? {} : { logo_uri: client.logoUri }),
        ...(client.jwks === null ? {} : { jwks: JSON.parse(client.jwks) as unknown }),
        ...(client.jwksUri === null ? {} : { jwks_uri: client.jwksUri }),
        refresh_token: { rotation_type: client.refreshRotation, leeway: client.refreshLeewaySeconds },
        idp_initiated_login: { mode: 'DISABLED' },
      },
    },
    _links: {
      self: link(self),
      [lifecycle]: link(`${self}/lifecycle/${lifecycle}`, { hints: { allow: ['POST'] } }),
    },
  };
}

export function userJson(user: UserRow, base: string, now: number): Json {
  const locked = user.status === 'ACTIVE' && user.lockedUntil !== null && user.lockedUntil > now;
  const self = `${base}/users/${user.id}`;
  return {
    id: user.id,
    status: locked ? 'LOCKED_OUT' : user.status,
    created: iso(user.createdAt),
    activated: null,
    statusChanged: null,
    lastLogin: null,
    lastUpdated: iso(user.updatedAt),
    passwordChanged: isoOrNull(user.passwordChangedAt),
    type: { id: 'default' },
    profile: {
      login: user.login,
      email: user.email,
      firstName: user.givenName,
      lastName: user.familyName,
      displayName: user.name,
    },
    credentials: {
      ...(user.passwordHash === null ? {} : { password: {} }),
      provider: { type: 'OKTA', name: 'OKTA' },
    },
    _links: { self: link(self) },
  };
}

export function serverJson(
  server: AuthorizationServerRow,
  signing: RotationTimes & { kid: string | undefined },
  publicUrl: string,
  base: string,
): Json {
  const self = `${base}/authorizationServers/${server.id}`;
  const issuer = issuerFor(publicUrl, server.id);
  return {
    id: server.id,
    name: server.name,
    description: server.description,
    audiences: [server.audience],
    resources: server.resources,
    issuer,
    issuerMode: 'ORG_URL',
    status: server.status,
    default: server.id === 'default',
    created: iso(server.createdAt),
    lastUpdated: iso(server.updatedAt),
    credentials: {
      signing: {
        rotationMode: signing.rotationMode,
        kid: signing.kid ?? null,
        use: 'sig',
        lastRotated: isoOrNull(signing.lastRotated),
        nextRotation: isoOrNull(signing.nextRotation),
      },
    },
    codeLifetimeSeconds: server.codeLifetimeSeconds,
    accessTokenLifetimeSeconds: server.accessTokenLifetimeSeconds,
    idTokenLifetimeSeconds: server.idTokenLifetimeSeconds,
    refreshTokenIdleSeconds: server.refreshTokenIdleSeconds,
    refreshTokenAbsoluteSeconds: server.refreshTokenAbsoluteSeconds,
    _links: {
      self: link(self),
      scopes: link(`${self}/scopes`),
      claims: link(`${self}/claims`),
      keys: link(`${self}/credentials/keys`),
      metadata: [
        link(`${issuer}/.well-known/openid-configuration`),
        link(`${issuer}/.well-known/oauth-authorization-server`),
      ],
    },
  };
}

/** A custom scope, or a reserved one (`system: true`) when only the name is known. */
export function scopeJson(scope: ScopeRow | { serverId: string; name: string }, base: string): Json {
  const custom = 'displayName' in scope;
  return {
    id: scope.name,
    name: scope.name,
    displayName: custom ? scope.displayName : scope.name,
    description: custom ? scope.description : '',
    system: !custom,
    default: false,
    consent: 'IMPLICIT',
    metadataPublish: custom ? scope.metadataPublish : 'ALL_CLIENTS',
    _links: {
      self: link(`${base}/authorizationServers/${scope.serverId}/scopes/${encodeURIComponent(scope.name)}`),
    },
  };
}

export function claimJson(claim: ClaimRow, base: string): Json {
  return {
    id: claim.id,
    name: claim.name,
    status: claim.status,
    claimType: claim.claimType,
    valueType: claim.valueType,
    value: claim.value,
    alwaysIncludeInToken: claim.alwaysIncludeInToken,
    conditions: { scopes: claim.scopes },
    system: false,
    _links: { self: link(`${base}/authorizationServers/${claim.serverId}/claims/${claim.id}`) },
  };
}

const KEY_STATUS: Readonly<Record<string, string>> = { NEXT: 'NEXT', ACTIVE: 'ACTIVE', RETIRED: 'EXPIRED' };

/** The published keys in Okta's terms: a retired key that still verifies old tokens is EXPIRED there. */
export function keysJson(rows: readonly SigningKeyRow[]): Json[] {
  return publishedKeys(rows).map((row) => {
    const { kty, alg, use, e, n } = JSON.parse(row.publicJwk) as JWK;
    return { kid: row.kid, kty, alg, use, e, n, status: KEY_STATUS[row.status], created: iso(row.createdAt) };
  });
}

/** Okta's LogEvent, reduced to what the system log records (AD-03). */
export function logEventJson(event: EventRow): Json {
  const target = [
    ...(event.clientId === null ? [] : [{ id: event.clientId, type: 'AppInstance' }]),
    ...(event.userId === null ? [] : [{ id: event.userId, type: 'User' }]),
  ];
  const actor =
    event.actor !== null
      ? { id: event.actor, type: event.actor.startsWith('00T') ? 'ApiToken' : 'SystemPrincipal' }
      : event.userId !== null
        ? { id: event.userId, type: 'User' }
        : event.clientId !== null
          ? { id: event.clientId, type: 'PublicClientApp' }
          : null;
  return {
    uuid: event.id,
    published: iso(event.time),
    eventType: event.type,
    version: '0',
    severity: event.outcome === 'SUCCESS' ? 'INFO' : 'WARN',
    displayMessage: event.reason,
    actor: actor === null ? null : { ...actor, alternateId: null, displayName: null },
    client: { id: event.clientId, ipAddress: event.ip },
    outcome: { result: event.outcome, reason: event.reason },
    target,
    debugContext: {
      debugData: {
        ...(event.serverId === null ? {} : { authorizationServerId: event.serverId }),
        ...(event.error === null ? {} : { error: event.error }),
      },
    },
    request: { ipChain: event.ip === null ? [] : [{ ip: event.ip }] },
  };
}

export function apiTokenJson(token: ApiTokenRow, base: string, now: number): Json {
  return {
    id: token.id,
    name: token.name,
    clientName: 'Latchkey',
    status: apiTokenStatus(token, now),
    createdBy: token.createdBy,
    created: iso(token.createdAt),
    expiresAt: isoOrNull(token.expiresAt),
    lastUpdated: iso(token.revokedAt ?? token.createdAt),
    lastUsed: isoOrNull(token.lastUsedAt),
    _links: { self: link(`${base}/api-tokens/${token.id}`) },
  };
}
