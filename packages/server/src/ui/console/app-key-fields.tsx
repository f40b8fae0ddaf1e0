import type { VNode } from 'preact';
import type { ApplicationType } from '../../storage/store.ts';
import type { AppFormErrors, AppFormValues } from './app-form.tsx';
import { FormRow, TextArea, TextInput } from './components.tsx';

/**
 * How a confidential app authenticates (RFC 6749 §2.3; RFC 7523 §2.2 private_key_jwt with its keys,
 * RFC 7591 §2), and for web apps whether they may also get tokens for themselves (client credentials).
 */
export function ConfidentialClientFields({
  type,
  values,
  errors,
}: {
  type: ApplicationType;
  values: AppFormValues;
  errors: AppFormErrors;
}): VNode {
  return (
    <>
      <FormRow
        id="auth_method"
        name="auth_method"
        label="Client authentication"
        errors={errors.auth_method}
        hint="How the app proves itself at /v1/token, /v1/introspect and /v1/revoke."
      >
        <select id="auth_method" name="auth_method">
          <option value="client_secret_basic" selected={values.authMethod === 'client_secret_basic'}>
            HTTP Basic (client_secret_basic)
          </option>
          <option value="client_secret_post" selected={values.authMethod === 'client_secret_post'}>
            Form body (client_secret_post)
          </option>
          <option value="private_key_jwt" selected={values.authMethod === 'private_key_jwt'}>
            Signed JWT with the app's private key (private_key_jwt)
          </option>
        </select>
      </FormRow>
      <FormRow
        id="jwks_uri"
        name="jwks_uri"
        label="JWK Set URL"
        errors={errors.jwks_uri}
        hint="private_key_jwt only: where the app publishes its public keys (https). Or paste the keys below."
      >
        <TextInput
          id="jwks_uri"
          name="jwks_uri"
          label="JWK Set URL"
          value={values.jwksUri}
          placeholder="https://service.example.com/.well-known/jwks.json"
          errors={errors.jwks_uri}
          hasHint
        />
      </FormRow>
      <FormRow
        id="jwks"
        name="jwks"
        label="Public keys (JWK Set)"
        errors={errors.jwks}
        hint='private_key_jwt only: {"keys":[…]} with public RSA or EC keys; assertions are signed RS256, PS256 or ES256.'
      >
        <TextArea
          id="jwks"
          name="jwks"
          label="Public keys (JWK Set)"
          value={values.jwks}
          rows={4}
          placeholder='{"keys":[{"kty":"RSA","kid":"…","n":"…","e":"AQAB"}]}'
          errors={errors.jwks}
          hasHint
        />
      </FormRow>
      {type === 'web' ? (
        <FormRow
          id="client_credentials"
          name="client_credentials"
          label="Machine-to-machine"
          labelFor={false}
          errors={errors.grant_types}
          hint="Lets the app get tokens for itself, with no user (RFC 6749 §4.4), for the server's custom scopes."
        >
          <label class="check">
            <input type="checkbox" name="client_credentials" value="on" checked={values.clientCredentials} />
            <span>Client Credentials</span>
          </label>
        </FormRow>
      ) : null}
    </>
  );
}

/** The app's display name, first in every app form. */
export function NameRow({ values, errors }: { values: AppFormValues; errors: AppFormErrors }): VNode {
  return (
    <FormRow
      id="name"
      name="name"
      label="App name"
      errors={errors.name}
      hint="Shown to users on the sign-in page."
    >
      <TextInput
        id="name"
        name="name"
        label="App name"
        value={values.name}
        required
        errors={errors.name}
        hasHint
      />
    </FormRow>
  );
}
