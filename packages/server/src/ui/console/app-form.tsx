import type { VNode } from 'preact';
import type { ApplicationType, ConsentMethod, RefreshRotation } from '../../storage/store.ts';
import { ConfidentialClientFields, NameRow } from './app-key-fields.tsx';
import { FormRow, Notice, TextArea, TextInput } from './components.tsx';
import type { IconName } from './icons.tsx';

/** The app settings form as typed: URIs are one per line, numbers are text until they are checked. */
export interface AppFormValues {
  name: string;
  redirectUris: string;
  postLogoutRedirectUris: string;
  refreshToken: boolean;
  consent: ConsentMethod;
  rotation: RefreshRotation;
  leeway: string;
  /** Web apps only: public clients always require PKCE (SECURITY-MATRIX rule 2). */
  pkceRequired: boolean;
  authMethod: 'client_secret_basic' | 'client_secret_post' | 'private_key_jwt';
  /** https image for the sign-in page; '' for none. */
  logoUri: string;
  /** private_key_jwt: the public JWK Set as pasted, or its URL. */
  jwks: string;
  jwksUri: string;
  /** Web apps: the client credentials grant too. */
  clientCredentials: boolean;
}

export type AppFormField =
  | 'name'
  | 'redirect_uris'
  | 'post_logout_redirect_uris'
  | 'grant_types'
  | 'consent'
  | 'rotation'
  | 'leeway'
  | 'pkce_required'
  | 'auth_method'
  | 'logo_uri'
  | 'jwks'
  | 'jwks_uri';

export type AppFormErrors = Partial<Record<AppFormField | 'form', string[]>>;

export const APP_TYPES: Readonly<
  Record<ApplicationType, { label: string; icon: IconName; text: string; meta: string; placeholder: string }>
> = {
  native: {
    label: 'Native',
    icon: 'native',
    text: 'Mobile and desktop apps: iOS, Android, macOS, Windows, command-line tools.',
    meta: 'Public client · PKCE · reverse-domain scheme (com.example.app:/) or loopback redirect',
    placeholder: 'com.example.app:/callback\nhttp://127.0.0.1/callback',
  },
  browser: {
    label: 'Single-Page App',
    icon: 'browser',
    text: 'JavaScript apps that run in the browser: React, Angular, Vue, Svelte.',
    meta: 'Public client · PKCE · tokens fetched with CORS',
    placeholder: 'http://localhost:8080/login/callback\nhttps://app.example.com/login/callback',
  },
  web: {
    label: 'Web',
    icon: 'web',
    text: 'Server-side apps that can keep a secret: Node.js, Java, .NET, Python, PHP.',
    meta: 'Confidential client · client secret, shown once',
    placeholder: 'https://app.example.com/authorization-code/callback',
  },
  service: {
    label: 'API Services',
    icon: 'key',
    text: 'Machine-to-machine: a backend, daemon or job that calls your APIs for itself, with no user.',
    meta: 'Confidential client · client credentials · client secret or private_key_jwt',
    placeholder: '',
  },
};

export function defaultAppFormValues(type: ApplicationType): AppFormValues {
  return {
    name: '',
    redirectUris: '',
    postLogoutRedirectUris: '',
    refreshToken: false,
    consent: 'TRUSTED',
    rotation: type === 'web' ? 'STATIC' : 'ROTATE',
    leeway: type === 'web' ? '0' : '30',
    // Off for web apps, as Okta's and the CLI's default: server-side libraries such as
    // @okta/oidc-middleware never send a code_challenge, and the client secret already binds the code.
    pkceRequired: type !== 'web',
    authMethod: 'client_secret_basic',
    logoUri: '',
    jwks: '',
    jwksUri: '',
    clientCredentials: false,
  };
}

const FIELD_LABELS: Readonly<Record<AppFormField, string>> = {
  name: 'App name',
  redirect_uris: 'Sign-in redirect URIs',
  post_logout_redirect_uris: 'Sign-out redirect URIs',
  grant_types: 'Grant types',
  consent: 'User consent',
  rotation: 'Refresh-token rotation',
  leeway: 'Rotation grace period',
  pkce_required: 'PKCE',
  auth_method: 'Client authentication',
  logo_uri: 'Logo',
  jwks: 'Public keys (JWK Set)',
  jwks_uri: 'JWK Set URL',
};

/** Which fields need attention, linked to each, so screen-reader and keyboard users find them at once. */
function ErrorSummary({ errors }: { errors: AppFormErrors }): VNode | null {
  const fields = (Object.keys(FIELD_LABELS) as AppFormField[]).filter((field) => errors[field] !== undefined);
  if (fields.length === 0) return null;
  return (
    <Notice tone="danger">
      <p>
        <strong>Nothing was saved.</strong> Check{' '}
        {fields.map((field, index) => (
          <span key={field}>
            {index > 0 ? ', ' : ''}
            <a href={`#${field}`}>{FIELD_LABELS[field]}</a>
          </span>
        ))}
        .
      </p>
    </Notice>
  );
}

/** Why nothing was saved: the fields to fix, and any refusal without a field. */
function FormNotices({ errors }: { errors: AppFormErrors }): VNode {
  return (
    <>
      <ErrorSummary errors={errors} />
      {errors.form !== undefined ? (
        <Notice tone="danger">
          {errors.form.map((error) => (
            <p key={error}>{error}</p>
          ))}
        </Notice>
      ) : null}
    </>
  );
}

/** The settings rows shared by the Add Application wizard and an app's General tab. */
export function AppSettingsFields({
  type,
  values,
  errors,
}: {
  type: ApplicationType;
  values: AppFormValues;
  errors: AppFormErrors;
}): VNode {
  const publicClient = type !== 'web';
  if (type === 'service') {
    // An API Services app signs no users in: no redirect URIs, consent or refresh tokens.
    return (
      <div class="form-grid">
        <FormNotices errors={errors} />
        <NameRow values={values} errors={errors} />
        <ConfidentialClientFields type={type} values={values} errors={errors} />
      </div>
    );
  }
  return (
    <div class="form-grid">
      <FormNotices errors={errors} />
      <NameRow values={values} errors={errors} />
      <FormRow
        id="logo_uri"
        name="logo_uri"
        label="Logo"
        errors={errors.logo_uri}
        hint="Optional. An https:// image URL, shown above the sign-in form."
      >
        <TextInput
          id="logo_uri"
          name="logo_uri"
          label="Logo"
          value={values.logoUri}
          placeholder="https://app.example.com/logo.png"
          errors={errors.logo_uri}
          hasHint
        />
      </FormRow>
      <FormRow
        id="redirect_uris"
        name="redirect_uris"
        label="Sign-in redirect URIs"
        errors={errors.redirect_uris}
        hint={
          type === 'native'
            ? 'One per line, matched exactly. Any port is allowed on http://127.0.0.1 and http://[::1] (RFC 8252).'
            : 'One per line, matched exactly. Use https, or http only for localhost and loopback addresses.'
        }
      >
        <TextArea
          id="redirect_uris"
          name="redirect_uris"
          label="Sign-in redirect URIs"
          value={values.redirectUris}
          placeholder={APP_TYPES[type].placeholder}
          errors={errors.redirect_uris}
          hasHint
        />
      </FormRow>
      <FormRow
        id="post_logout_redirect_uris"
        name="post_logout_redirect_uris"
        label="Sign-out redirect URIs"
        errors={errors.post_logout_redirect_uris}
        hint="Optional. Where /v1/logout may send users back to, one per line."
      >
        <TextArea
          id="post_logout_redirect_uris"
          name="post_logout_redirect_uris"
          label="Sign-out redirect URIs"
          value={values.postLogoutRedirectUris}
          rows={2}
          errors={errors.post_logout_redirect_uris}
          hasHint
        />
      </FormRow>
      <FormRow
        id="grant_types"
        name="grant_types"
        label="Grant types"
        labelFor={false}
        errors={errors.grant_types}
        hint="Refresh tokens are issued when the app also asks for the offline_access scope."
      >
        <fieldset class="checks" id="grant_types" aria-labelledby="grant_types-label">
          <label class="check">
            <input type="checkbox" checked disabled />
            <span>
              Authorization Code{' '}
              <small>with PKCE{publicClient ? ', always required for this app type' : ''}</small>
            </span>
          </label>
          <label class="check">
            <input type="checkbox" name="refresh_token" value="on" checked={values.refreshToken} />
            <span>
              Refresh Token <small>keep users signed in without the browser</small>
            </span>
          </label>
        </fieldset>
      </FormRow>
      {publicClient ? null : (
        <>
          <FormRow
            id="pkce_required"
            name="pkce_required"
            label="PKCE"
            labelFor={false}
            errors={errors.pkce_required}
            hint="Recommended (RFC 9700 §2.1.1) when the app's library sends a code_challenge; off by default, as in Okta, because some (e.g. @okta/oidc-middleware) never do."
          >
            <label class="check">
              <input type="checkbox" name="pkce_required" value="on" checked={values.pkceRequired} />
              <span>Require PKCE for this app</span>
            </label>
          </FormRow>
          <ConfidentialClientFields type={type} values={values} errors={errors} />
        </>
      )}
      <FormRow
        id="consent"
        name="consent"
        label="User consent"
        labelFor={false}
        errors={errors.consent}
        hint={
          type === 'native'
            ? 'With consent on, a native app asks every time: its identity cannot be proven (RFC 8252 §8.6).'
            : 'With consent on, users see the scopes and decide once per app.'
        }
      >
        <fieldset class="checks" id="consent" aria-labelledby="consent-label">
          <label class="check">
            <input type="radio" name="consent" value="TRUSTED" checked={values.consent === 'TRUSTED'} />
            <span>
              Trusted <small>users are not asked to allow access</small>
            </span>
          </label>
          <label class="check">
            <input type="radio" name="consent" value="REQUIRED" checked={values.consent === 'REQUIRED'} />
            <span>
              Ask for consent <small>users see the scopes and allow or deny</small>
            </span>
          </label>
        </fieldset>
      </FormRow>
      <FormRow
        id="rotation"
        name="rotation"
        label="Refresh-token rotation"
        labelFor={false}
        errors={errors.rotation}
        hint={
          publicClient
            ? 'Public clients always get a new refresh token on every refresh.'
            : 'Rotating is safer; a reused token then revokes the whole family.'
        }
      >
        <fieldset class="checks" id="rotation" aria-labelledby="rotation-label">
          <label class="check">
            <input
              type="radio"
              name="rotation"
              value="ROTATE"
              checked={publicClient || values.rotation === 'ROTATE'}
            />
            <span>
              Rotate <small>a new refresh token on every use</small>
            </span>
          </label>
          <label class="check">
            <input
              type="radio"
              name="rotation"
              value="STATIC"
              checked={!publicClient && values.rotation === 'STATIC'}
              disabled={publicClient}
            />
            <span>
              Keep the same token <small>only for confidential (web) apps</small>
            </span>
          </label>
        </fieldset>
      </FormRow>
      <FormRow
        id="leeway"
        name="leeway"
        label="Rotation grace period"
        errors={errors.leeway}
        hint="0-60 seconds. Within it, a retried refresh gets the same new token instead of revoking the family."
      >
        <TextInput
          id="leeway"
          name="leeway"
          label="Rotation grace period"
          type="number"
          min={0}
          max={60}
          value={values.leeway}
          narrow
          errors={errors.leeway}
          hasHint
        />
      </FormRow>
    </div>
  );
}
