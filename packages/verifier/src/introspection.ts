// The optional remote check (RFC 7662 §2; OKTA-COMPAT §1.5): a JWT stays valid until `exp`, and only
// `/v1/introspect` sees a revocation. It runs after the local checks, so forged or expired tokens never
// cost a request. No caching: callers choose it precisely so that revocation takes effect at once.

import { describeCause, IntrospectionUnavailableError } from './errors.ts';

export interface IntrospectionOptions {
  /**
   * A confidential client of the authorization server (a resource server, with `clientSecret`) learns
   * about any of its tokens; a public client only about its own, and every other token comes back
   * inactive, so a public client here would refuse other apps' tokens (Latchkey IN-01).
   */
  clientId: string;
  /** For a confidential client (sent with HTTP Basic); a public client sends only `client_id`. */
  clientSecret?: string | undefined;
  /** Default `{issuer}/v1/introspect`. */
  endpoint?: string | undefined;
}

/** True when the server reports the token active; throws IntrospectionUnavailableError without an answer. */
export async function introspect(
  token: string,
  options: IntrospectionOptions & { issuer: string; fetch: typeof fetch; timeoutMs: number },
): Promise<boolean> {
  const endpoint = options.endpoint ?? `${options.issuer.replace(/\/+$/, '')}/v1/introspect`;
  const form = new URLSearchParams({ token, token_type_hint: 'access_token' });
  const headers: Record<string, string> = {
    'content-type': 'application/x-www-form-urlencoded',
    accept: 'application/json',
  };
  if (options.clientSecret === undefined) {
    form.set('client_id', options.clientId);
  } else {
    // RFC 6749 §2.3.1: both parts form-urlencoded before base64.
    const pair = `${formEncode(options.clientId)}:${formEncode(options.clientSecret)}`;
    headers['authorization'] = `Basic ${Buffer.from(pair).toString('base64')}`;
  }
  let response: Response;
  let body: unknown;
  try {
    response = await options.fetch(endpoint, {
      method: 'POST',
      headers,
      body: form,
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    const text = await response.text();
    body = text === '' ? undefined : JSON.parse(text);
  } catch (error) {
    throw new IntrospectionUnavailableError(endpoint, `the request failed (${describeCause(error)})`, {
      cause: error,
    });
  }
  if (response.status === 401) {
    throw new IntrospectionUnavailableError(
      endpoint,
      `the server refused our client credentials (${errorText(body)}); check introspect.clientId and clientSecret`,
    );
  }
  const active = (body as { active?: unknown } | undefined)?.active;
  if (response.status !== 200 || typeof active !== 'boolean') {
    throw new IntrospectionUnavailableError(
      endpoint,
      `the server answered HTTP ${response.status} without an "active" member (${errorText(body)})`,
    );
  }
  return active;
}

function formEncode(value: string): string {
  return new URLSearchParams({ v: value }).toString().slice(2);
}

function errorText(body: unknown): string {
  const { error, error_description: description } = (body ?? {}) as Record<string, unknown>;
  return typeof error === 'string' ? `${error}: ${String(description ?? '')}` : 'no OAuth error';
}
