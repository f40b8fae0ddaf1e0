// Okta's Management API JSON → service input (OKTA-COMPAT §7): the request bodies as they arrive (already
// validated against the schemas in schemas.ts), and the service's field names as paths in that JSON, so a
// 400 names the field the client actually sent.

import type { AppSettings } from '../services/apps.ts';
import type { ClientRow } from '../storage/store.ts';

/** The body of POST/PUT /apps as it arrives (validated against ApplicationCreate/ApplicationUpdate). */
export interface AppBody {
  name?: 'oidc_client';
  label?: string;
  signOnMode?: 'OPENID_CONNECT';
  credentials?: {
    oauthClient?: {
      client_id?: string;
      client_secret?: string;
      token_endpoint_auth_method?: ClientRow['tokenEndpointAuthMethod'];
      pkce_required?: boolean;
    };
  };
  settings?: {
    oauthClient?: {
      application_type?: AppSettings['applicationType'];
      redirect_uris?: string[];
      post_logout_redirect_uris?: string[];
      grant_types?: string[];
      consent_method?: ClientRow['consentMethod'];
      loopback_any_port?: boolean;
      logo_uri?: string | null;
      jwks?: { keys?: unknown[] } | null;
      jwks_uri?: string | null;
      refresh_token?: { rotation_type?: ClientRow['refreshRotation']; leeway?: number };
    };
  };
}

/** Only what the body sets; the service fills in defaults (create) or keeps current values (update). */
export function appSettingsFrom(body: AppBody): Partial<AppSettings> {
  const credentials = body.credentials?.oauthClient ?? {};
  const settings = body.settings?.oauthClient ?? {};
  const out: Partial<AppSettings> = {};
  if (body.label !== undefined) out.name = body.label;
  if (settings.application_type !== undefined) out.applicationType = settings.application_type;
  if (settings.redirect_uris !== undefined) out.redirectUris = settings.redirect_uris;
  if (settings.post_logout_redirect_uris !== undefined)
    out.postLogoutRedirectUris = settings.post_logout_redirect_uris;
  if (settings.grant_types !== undefined) out.grantTypes = settings.grant_types;
  if (settings.consent_method !== undefined) out.consentMethod = settings.consent_method;
  if (settings.loopback_any_port !== undefined) out.loopbackAnyPort = settings.loopback_any_port;
  if (settings.logo_uri !== undefined) out.logoUri = settings.logo_uri;
  if (settings.refresh_token?.rotation_type !== undefined)
    out.refreshRotation = settings.refresh_token.rotation_type;
  if (settings.refresh_token?.leeway !== undefined) out.refreshLeewaySeconds = settings.refresh_token.leeway;
  if (credentials.token_endpoint_auth_method !== undefined)
    out.tokenEndpointAuthMethod = credentials.token_endpoint_auth_method;
  if (credentials.pkce_required !== undefined) out.pkceRequired = credentials.pkce_required;
  if (settings.jwks !== undefined) out.jwks = settings.jwks === null ? null : JSON.stringify(settings.jwks);
  if (settings.jwks_uri !== undefined) out.jwksUri = settings.jwks_uri;
  return out;
}

/** The service's field names (RFC 7591 style) as paths in the Okta JSON the client sent. */
export const APP_FIELDS: Readonly<Record<string, string>> = {
  name: 'label',
  application_type: 'settings.oauthClient.application_type',
  redirect_uris: 'settings.oauthClient.redirect_uris',
  post_logout_redirect_uris: 'settings.oauthClient.post_logout_redirect_uris',
  grant_types: 'settings.oauthClient.grant_types',
  'refresh_token.leeway': 'settings.oauthClient.refresh_token.leeway',
  token_endpoint_auth_method: 'credentials.oauthClient.token_endpoint_auth_method',
  pkce_required: 'credentials.oauthClient.pkce_required',
  logo_uri: 'settings.oauthClient.logo_uri',
  jwks: 'settings.oauthClient.jwks',
  jwks_uri: 'settings.oauthClient.jwks_uri',
};

export interface UserBody {
  profile?: {
    login?: string;
    email?: string;
    firstName?: string | null;
    lastName?: string | null;
    displayName?: string;
  };
  credentials?: { password?: { value: string } };
}

/** Service field names as paths in the user JSON. */
export const USER_FIELDS: Readonly<Record<string, string>> = {
  login: 'profile.login',
  email: 'profile.email',
  name: 'profile.displayName',
  firstName: 'profile.firstName',
  lastName: 'profile.lastName',
  password: 'credentials.password.value',
};
