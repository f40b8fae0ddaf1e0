// RFC 6749 §4.1.1 (authorization request), §4.1.2.1 (errors: never redirect to an unverified URI),
// RFC 7636 §4.3-4.4 (PKCE), OIDC Core §3.1.2.1 (prompt, max_age, nonce), RFC 9101 (request objects: refused).

import { clipped } from '../audit.ts';
import type { AuthorizationServerRow, ClientRow, ScopeRow, Store } from '../storage/store.ts';
import { RESPONSE_MODES_SUPPORTED } from './discovery.ts';
import { OAuthError } from './errors.ts';
import { optional, type ParameterBag, REPEATED_PARAMETER_DESCRIPTION, rejectRepeated } from './params.ts';
import { validateCodeChallenge } from './pkce.ts';
import { describeRedirectUriMismatch, matchRedirectUri, type RedirectUriDifference } from './redirect-uri.ts';
import { requestedResource } from './resource-indicator.ts';
import { grantScopes, parseScope } from './scope.ts';
import { isWebMessageMode, webMessageTargetOrigin } from './web-message.ts';

export type ResponseMode = (typeof RESPONSE_MODES_SUPPORTED)[number];
export type Prompt = 'none' | 'login' | 'consent';

/** A validated authorization request: everything the code will be bound to. */
export interface AuthorizationRequest {
  serverId: string;
  clientId: string;
  redirectUri: string;
  responseMode: ResponseMode;
  scopes: string[];
  /** RFC 8707: the one resource the tokens are for; undefined: the server's audience. */
  resource?: string | undefined;
  state: string | undefined;
  nonce: string | undefined;
  codeChallenge: string | undefined;
  codeChallengeMethod: string | undefined;
  prompt: Prompt[];
  maxAge: number | undefined;
  loginHint: string | undefined;
}

/** Where an error may be sent once client and redirect URI are known good. */
export interface ResponseTarget {
  redirectUri: string;
  responseMode: ResponseMode;
  state: string | undefined;
}

export type AuthorizeValidation =
  | { kind: 'valid'; request: AuthorizationRequest; client: ClientRow }
  | { kind: 'error-page'; error: OAuthError; client?: ClientRow; mismatch?: RedirectUriMismatchDetails }
  | { kind: 'error-redirect'; error: OAuthError; client: ClientRow; target: ResponseTarget };

export interface RedirectUriMismatchDetails extends Partial<RedirectUriDifference> {
  received: string;
  registered: string[];
}

export const MAX_STATE_LENGTH = 4096;
/** A refused redirect URI is quoted up to this length, in the error and in the system log (issue 9 §3). */
const MAX_SHOWN_URI_LENGTH = 200;
export const MAX_NONCE_LENGTH = 1024;
export const MAX_LOGIN_HINT_LENGTH = 512;
const MAX_AGE_LIMIT = 2 ** 31 - 1;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

export async function validateAuthorizationRequest(
  store: Pick<Store, 'clients'>,
  server: AuthorizationServerRow,
  customScopes: readonly ScopeRow[],
  params: ParameterBag,
): Promise<AuthorizeValidation> {
  // Until client and redirect URI are verified, errors are shown, never redirected (RFC 6749 §4.1.2.1).
  if (params.repeated.has('client_id') || params.repeated.has('redirect_uri')) {
    return { kind: 'error-page', error: new OAuthError('invalid_request', REPEATED_PARAMETER_DESCRIPTION) };
  }
  const clientId = optional(params, 'client_id');
  if (clientId === undefined) {
    return {
      kind: 'error-page',
      error: new OAuthError('invalid_request', "The required parameter 'client_id' is missing."),
    };
  }
  let client: ClientRow | undefined;
  try {
    client = await store.clients.get(clientId);
  } catch (error) {
    // A URL client id whose metadata document was refused: the reason, on the error page, never redirected
    // (the redirect URI is not trusted until the document is; RFC 6749 §4.1.2.1).
    if (!(error instanceof OAuthError)) throw error;
    const status = error.error === 'invalid_client' ? 400 : error.status;
    return {
      kind: 'error-page',
      error: new OAuthError(error.error, error.description, { status, headers: error.headers }),
    };
  }
  if (client === undefined || client.status !== 'ACTIVE') {
    return {
      kind: 'error-page',
      // An error page is HTTP 400 (RFC 6749 §4.1.2.1, SECURITY-MATRIX §2), not the token endpoint's 401.
      error: new OAuthError('invalid_client', "Invalid value for 'client_id' parameter.", { status: 400 }),
    };
  }
  if (!client.grantTypes.includes('authorization_code')) {
    // An API Services app (client credentials only) has no users and no redirect URI to answer to.
    return {
      kind: 'error-page',
      client,
      error: new OAuthError(
        'unauthorized_client',
        'The client is not authorized to use the authorization code flow: it is an API Services app, which gets tokens with grant_type=client_credentials at the token endpoint.',
        { status: 400 },
      ),
    };
  }
  const redirectUri = optional(params, 'redirect_uri');
  if (redirectUri === undefined) {
    // OIDC Core §3.1.2.1 makes redirect_uri required; it is never guessed (RU-01).
    return {
      kind: 'error-page',
      client,
      error: new OAuthError(
        'invalid_request',
        "The required parameter 'redirect_uri' is missing. Send one of the app's sign-in redirect URIs.",
      ),
    };
  }
  if (matchRedirectUri(redirectUri, client.redirectUris, client) === undefined) {
    return {
      kind: 'error-page',
      client,
      error: new OAuthError(
        'invalid_request',
        `The 'redirect_uri' parameter must be a Login redirect URI in the client app settings. Received ${clipped(redirectUri, MAX_SHOWN_URI_LENGTH)}; register it as a sign-in redirect URI of "${client.name}" (latchkey apps update ${client.clientId} --redirect-uri …).`,
      ),
      mismatch: {
        received: clipped(redirectUri, MAX_SHOWN_URI_LENGTH),
        registered: client.redirectUris,
        ...describeRedirectUriMismatch(redirectUri, client.redirectUris),
      },
    };
  }

  const state = params.repeated.has('state') ? undefined : optional(params, 'state');
  const requestedMode = optional(params, 'response_mode');
  const known = (RESPONSE_MODES_SUPPORTED as readonly string[]).includes(requestedMode ?? 'query');
  let modeError: OAuthError | undefined;
  let responseMode: ResponseMode = known ? ((requestedMode ?? 'query') as ResponseMode) : 'query';
  if (isWebMessageMode(responseMode)) {
    try {
      webMessageTargetOrigin(redirectUri, responseMode);
    } catch (error) {
      // No origin to post to: the refusal itself goes to the redirect URI as a query (wmrm §5).
      if (!(error instanceof OAuthError)) throw error;
      modeError = error;
      responseMode = 'query';
    }
  }
  const target: ResponseTarget = { redirectUri, responseMode, state };
  try {
    if (!known) {
      throw new OAuthError(
        'unsupported_response_mode',
        `The response mode is not supported by the authorization server. Valid response modes: [${RESPONSE_MODES_SUPPORTED.join(', ')}].`,
      );
    }
    if (modeError !== undefined) throw modeError;
    // RFC 8707 §2 lets `resource` repeat; we take one and say so (invalid_target), not "repeated".
    const resource = requestedResource(params, server);
    rejectRepeated(params);
    const request = validateRest(params, server, client, customScopes, target);
    return { kind: 'valid', request: resource === undefined ? request : { ...request, resource }, client };
  } catch (error) {
    if (!(error instanceof OAuthError)) throw error;
    return { kind: 'error-redirect', error, client, target };
  }
}

function validateRest(
  params: ParameterBag,
  server: AuthorizationServerRow,
  client: ClientRow,
  customScopes: readonly ScopeRow[],
  target: ResponseTarget,
): AuthorizationRequest {
  if (params.has('request')) {
    throw new OAuthError(
      'request_not_supported',
      "The 'request' parameter (request objects) is not supported.",
    );
  }
  if (params.has('request_uri')) {
    throw new OAuthError('request_uri_not_supported', "The 'request_uri' parameter is not supported.");
  }
  const state = optional(params, 'state');
  if (state !== undefined && (!PRINTABLE_ASCII.test(state) || state.length > MAX_STATE_LENGTH)) {
    throw new OAuthError('invalid_request', "The authentication request has an invalid 'state' parameter.");
  }
  const responseType = optional(params, 'response_type');
  if (responseType === undefined) {
    throw new OAuthError('invalid_request', "The required parameter 'response_type' is missing.");
  }
  if (responseType !== 'code') {
    throw new OAuthError(
      'unsupported_response_type',
      'The response type is not supported by the authorization server. Configured response types: [code].',
    );
  }
  const scopes = grantScopes(parseScope(optional(params, 'scope')), client, customScopes);
  const nonce = optional(params, 'nonce');
  if (nonce !== undefined && nonce.length > MAX_NONCE_LENGTH) {
    throw new OAuthError(
      'invalid_request',
      `The 'nonce' parameter is longer than ${MAX_NONCE_LENGTH} characters.`,
    );
  }
  const { codeChallenge, codeChallengeMethod } = validatePkce(params, client);
  const prompt = parsePrompt(optional(params, 'prompt'));
  const maxAge = parseMaxAge(optional(params, 'max_age'), prompt);
  const loginHint = optional(params, 'login_hint');
  if (loginHint !== undefined && loginHint.length > MAX_LOGIN_HINT_LENGTH) {
    throw new OAuthError(
      'invalid_request',
      `The 'login_hint' parameter is longer than ${MAX_LOGIN_HINT_LENGTH} characters.`,
    );
  }
  return {
    serverId: server.id,
    clientId: client.clientId,
    redirectUri: target.redirectUri,
    responseMode: target.responseMode,
    scopes,
    state,
    nonce,
    codeChallenge,
    codeChallengeMethod,
    prompt,
    maxAge,
    loginHint,
  };
}

function validatePkce(
  params: ParameterBag,
  client: ClientRow,
): { codeChallenge: string | undefined; codeChallengeMethod: string | undefined } {
  const codeChallenge = optional(params, 'code_challenge');
  const codeChallengeMethod = optional(params, 'code_challenge_method');
  if (codeChallenge === undefined) {
    // SECURITY-MATRIX rule 2: every public client must use PKCE, whatever its settings say.
    if (client.pkceRequired || client.tokenEndpointAuthMethod === 'none') {
      throw new OAuthError('invalid_request', 'PKCE code challenge is required by the application.');
    }
    if (codeChallengeMethod !== undefined) {
      throw new OAuthError(
        'invalid_request',
        "The 'code_challenge_method' parameter was sent without a 'code_challenge'.",
      );
    }
    return { codeChallenge: undefined, codeChallengeMethod: undefined };
  }
  validateCodeChallenge(codeChallenge, codeChallengeMethod);
  return { codeChallenge, codeChallengeMethod };
}

const PROMPT_VALUES: ReadonlySet<string> = new Set(['none', 'login', 'consent']);

function parsePrompt(value: string | undefined): Prompt[] {
  if (value === undefined) return [];
  const values = [...new Set(value.split(' ').filter(Boolean))];
  // OIDC Core §3.1.2.1: `none` must not be combined with any other value.
  if (values.some((v) => !PROMPT_VALUES.has(v)) || (values.includes('none') && values.length > 1)) {
    throw new OAuthError(
      'invalid_request',
      "Invalid value for 'prompt' parameter. Supported values: [none, login, consent, login consent].",
    );
  }
  return values as Prompt[];
}

function parseMaxAge(value: string | undefined, prompt: Prompt[]): number | undefined {
  if (value === undefined) return undefined;
  const maxAge = Number(value);
  if (!/^\d{1,10}$/.test(value) || maxAge > MAX_AGE_LIMIT) {
    throw new OAuthError(
      'invalid_request',
      "Invalid value for 'max_age' parameter. It should be within range 0 - 2^31-1.",
    );
  }
  if (maxAge === 0 && prompt.includes('none')) {
    throw new OAuthError(
      'invalid_request',
      "'prompt' parameter must not have the value 'none' for request with 'zero' as max_age.",
    );
  }
  return maxAge;
}
