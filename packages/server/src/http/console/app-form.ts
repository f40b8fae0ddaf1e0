// The app settings form ↔ the apps service (AD-02). Every redirect URI is checked with the registration
// rule the service applies (checkRedirectUriRegistration), so all refused URIs are listed at once, each
// with its reason; everything else is the service's to refuse, and its ValidationError lands on its field.

import { checkRedirectUriRegistration } from '../../oauth/redirect-uri.ts';
import type { AppSettings } from '../../services/apps.ts';
import type { ValidationError } from '../../services/errors.ts';
import type { ApplicationType, ClientRow } from '../../storage/store.ts';
import {
  type AppFormErrors,
  type AppFormField,
  type AppFormValues,
  defaultAppFormValues,
} from '../../ui/console/app-form.tsx';

export function isApplicationType(value: string | null | undefined): value is ApplicationType {
  return value === 'native' || value === 'browser' || value === 'web' || value === 'service';
}

export function readAppForm(body: URLSearchParams, type: ApplicationType): AppFormValues {
  const defaults = defaultAppFormValues(type);
  const consent = body.get('consent');
  const rotation = body.get('rotation');
  const authMethod = body.get('auth_method');
  return {
    name: body.get('name') ?? '',
    redirectUris: body.get('redirect_uris') ?? '',
    postLogoutRedirectUris: body.get('post_logout_redirect_uris') ?? '',
    refreshToken: body.get('refresh_token') === 'on',
    consent: consent === 'REQUIRED' ? 'REQUIRED' : 'TRUSTED',
    // SECURITY-MATRIX rule 3: public clients always rotate.
    rotation:
      type === 'web' && rotation === 'STATIC' ? 'STATIC' : type === 'web' ? 'ROTATE' : defaults.rotation,
    leeway: (body.get('leeway') ?? '').trim(),
    pkceRequired: type !== 'web' || body.get('pkce_required') === 'on',
    authMethod:
      authMethod === 'client_secret_post' || authMethod === 'private_key_jwt'
        ? authMethod
        : 'client_secret_basic',
    logoUri: (body.get('logo_uri') ?? '').trim(),
    jwks: (body.get('jwks') ?? '').trim(),
    jwksUri: (body.get('jwks_uri') ?? '').trim(),
    clientCredentials: type === 'service' || body.get('client_credentials') === 'on',
  };
}

export function appFormValues(client: ClientRow): AppFormValues {
  return {
    name: client.name,
    redirectUris: client.redirectUris.join('\n'),
    postLogoutRedirectUris: client.postLogoutRedirectUris.join('\n'),
    refreshToken: client.grantTypes.includes('refresh_token'),
    consent: client.consentMethod,
    rotation: client.refreshRotation,
    leeway: String(client.refreshLeewaySeconds),
    pkceRequired: client.pkceRequired,
    authMethod:
      client.tokenEndpointAuthMethod === 'none' ? 'client_secret_basic' : client.tokenEndpointAuthMethod,
    logoUri: client.logoUri ?? '',
    jwks: client.jwks ?? '',
    jwksUri: client.jwksUri ?? '',
    clientCredentials: client.grantTypes.includes('client_credentials'),
  };
}

/** One URI per line; blank lines and the spaces a textarea collects around a line are not part of a URI. */
function lines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

export type CheckedAppForm =
  | { ok: true; settings: Omit<AppSettings, 'applicationType'> }
  | { ok: false; errors: AppFormErrors };

export function checkAppForm(values: AppFormValues, type: ApplicationType): CheckedAppForm {
  const errors: AppFormErrors = {};
  const redirectUris = lines(values.redirectUris);
  const postLogoutRedirectUris = lines(values.postLogoutRedirectUris);
  const uriErrors = (uris: string[]): string[] =>
    uris.flatMap((uri) => {
      const problem = checkRedirectUriRegistration(uri, type);
      return problem === undefined ? [] : [`${uri} ${problem}`];
    });
  const signIn = uriErrors(redirectUris);
  if (signIn.length > 0) errors.redirect_uris = signIn;
  const signOut = uriErrors(postLogoutRedirectUris);
  if (signOut.length > 0) errors.post_logout_redirect_uris = signOut;
  const leeway = type === 'service' ? 0 : values.leeway === '' ? Number.NaN : Number(values.leeway);
  if (!Number.isInteger(leeway)) errors.leeway = ['Enter a whole number of seconds from 0 to 60.'];
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    settings: {
      name: values.name,
      redirectUris,
      postLogoutRedirectUris,
      grantTypes: [
        ...(values.refreshToken && type !== 'service' ? ['refresh_token'] : []),
        ...(values.clientCredentials ? ['client_credentials'] : []),
      ],
      consentMethod: values.consent,
      refreshRotation: values.rotation,
      refreshLeewaySeconds: leeway,
      logoUri: values.logoUri,
      ...(type === 'web' ? { pkceRequired: values.pkceRequired } : {}),
      ...(type === 'web' || type === 'service'
        ? {
            tokenEndpointAuthMethod: values.authMethod,
            jwks: values.authMethod === 'private_key_jwt' && values.jwks !== '' ? values.jwks : null,
            jwksUri: values.authMethod === 'private_key_jwt' && values.jwksUri !== '' ? values.jwksUri : null,
          }
        : {}),
    },
  };
}

const FIELDS: Readonly<Record<string, AppFormField>> = {
  name: 'name',
  redirect_uris: 'redirect_uris',
  post_logout_redirect_uris: 'post_logout_redirect_uris',
  grant_types: 'grant_types',
  'refresh_token.leeway': 'leeway',
  pkce_required: 'pkce_required',
  token_endpoint_auth_method: 'auth_method',
  logo_uri: 'logo_uri',
  jwks: 'jwks',
  jwks_uri: 'jwks_uri',
};

/** A service refusal as form errors: next to its field, or above the form when it has none. */
export function appFormErrors(error: ValidationError): AppFormErrors {
  const field = Object.hasOwn(FIELDS, error.field) ? FIELDS[error.field] : undefined;
  return field === undefined ? { form: [error.message] } : { [field]: [error.message] };
}
