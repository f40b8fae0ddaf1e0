// The authorization decision as a table, without a socket (issue 8 §1, tests): each row is a request,
// an app, what the browser has (session, remembered consent), the step, and the expected outcome.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AuthorizationRequest, Prompt } from '../../src/oauth/authorize.ts';
import {
  type AuthorizationFacts,
  type AuthorizationStep,
  decideAuthorization,
} from '../../src/oauth/decide-authorization.ts';
import type { ConsentRow, SessionRow } from '../../src/storage/store.ts';

const NOW = 1_800_000_000;
const REQUESTED = NOW - 20;

const request = (
  o: { prompt?: Prompt[]; maxAge?: number; scopes?: string[] } = {},
): AuthorizationRequest => ({
  serverId: 'default',
  clientId: '0oaapp',
  redirectUri: 'https://app.example/cb',
  responseMode: 'query',
  scopes: o.scopes ?? ['openid', 'profile'],
  state: 's',
  nonce: undefined,
  codeChallenge: 'c',
  codeChallengeMethod: 'S256',
  prompt: o.prompt ?? [],
  maxAge: o.maxAge,
  loginHint: undefined,
});

const session = (authTime: number): SessionRow => ({
  idHash: 'sid',
  userId: '00u',
  authTime,
  amr: ['pwd'],
  createdAt: authTime,
  lastActiveAt: authTime,
  expiresAt: authTime + 86_400,
  revokedAt: null,
});

const consent = (scopes: string[]): ConsentRow => ({
  userId: '00u',
  clientId: '0oaapp',
  serverId: 'default',
  scopes,
  createdAt: NOW - 100,
  updatedAt: NOW - 100,
});

const TRUSTED = { consentMethod: 'TRUSTED', applicationType: 'browser' } as const;
const ASKS = { consentMethod: 'REQUIRED', applicationType: 'web' } as const;
const NATIVE_ASKS = { consentMethod: 'REQUIRED', applicationType: 'native' } as const;

type Row = [name: string, facts: Partial<AuthorizationFacts>, step: AuthorizationStep, expected: string];

const fresh = session(NOW - 10);
const old = session(NOW - 3600);
const beforeRequest = session(REQUESTED - 1);

const ROWS: Row[] = [
  ['no session → sign-in', {}, { step: 'request' }, 'show-sign-in'],
  [
    'no session, prompt=none → login_required',
    { request: request({ prompt: ['none'] }) },
    { step: 'request' },
    'error:login_required',
  ],
  ['session, trusted app → code', { session: fresh }, { step: 'request' }, 'issue-code'],
  [
    'session, prompt=login → sign-in',
    { session: fresh, request: request({ prompt: ['login'] }) },
    { step: 'request' },
    'show-sign-in',
  ],
  [
    'session, max_age=0 → sign-in',
    { session: fresh, request: request({ maxAge: 0 }) },
    { step: 'request' },
    'show-sign-in',
  ],
  [
    'session older than max_age → sign-in',
    { session: old, request: request({ maxAge: 60 }) },
    { step: 'request' },
    'show-sign-in',
  ],
  [
    'session older than max_age, prompt=none → login_required',
    { session: old, request: request({ maxAge: 60, prompt: ['none'] }) },
    { step: 'request' },
    'error:login_required',
  ],
  [
    'session within max_age → code',
    { session: fresh, request: request({ maxAge: 60 }) },
    { step: 'request' },
    'issue-code',
  ],
  [
    'app asks, nothing remembered → consent',
    { session: fresh, client: ASKS },
    { step: 'request' },
    'show-consent',
  ],
  [
    'app asks, remembered → code',
    { session: fresh, client: ASKS, remembered: consent(['openid', 'profile']) },
    { step: 'request' },
    'issue-code',
  ],
  [
    'app asks, remembered narrower → consent',
    { session: fresh, client: ASKS, remembered: consent(['openid']) },
    { step: 'request' },
    'show-consent',
  ],
  [
    'app asks, prompt=consent → consent despite memory',
    {
      session: fresh,
      client: ASKS,
      remembered: consent(['openid', 'profile']),
      request: request({ prompt: ['consent'] }),
    },
    { step: 'request' },
    'show-consent',
  ],
  [
    'LG-12 native app asks every time',
    { session: fresh, client: NATIVE_ASKS, remembered: consent(['openid', 'profile']) },
    { step: 'request' },
    'show-consent',
  ],
  [
    'consent needed, prompt=none → consent_required',
    { session: fresh, client: ASKS, request: request({ prompt: ['none'] }) },
    { step: 'request' },
    'error:consent_required',
  ],
  ['just signed in, trusted → code', { session: fresh }, { step: 'signed-in' }, 'issue-code'],
  [
    'just signed in, app asks → consent',
    { session: fresh, client: ASKS },
    { step: 'signed-in' },
    'show-consent',
  ],
  [
    'consent allow → code, remembered',
    { session: fresh, client: ASKS },
    { step: 'consent', decision: 'allow' },
    'issue-code:remember',
  ],
  [
    'consent deny → access_denied',
    { session: fresh, client: ASKS },
    { step: 'consent', decision: 'deny' },
    'error:access_denied',
  ],
  [
    'LG-15 consent allow for prompt=login with a sign-in from before the request → login_required',
    { session: beforeRequest, request: request({ prompt: ['login'] }) },
    { step: 'consent', decision: 'allow' },
    'error:login_required',
  ],
  [
    'LG-15 consent allow for max_age=0 with a sign-in since the request → code',
    { session: fresh, request: request({ maxAge: 0 }) },
    { step: 'consent', decision: 'allow' },
    'issue-code:remember',
  ],
  [
    'consent allow after max_age has passed → login_required',
    { session: old, request: request({ maxAge: 60 }) },
    { step: 'consent', decision: 'allow' },
    'error:login_required',
  ],
  [
    'consent without a session → login_required',
    {},
    { step: 'consent', decision: 'allow' },
    'error:login_required',
  ],
];

describe('decideAuthorization', () => {
  for (const [name, partial, step, expected] of ROWS) {
    it(name, () => {
      const facts: AuthorizationFacts = {
        request: request(),
        client: TRUSTED,
        session: undefined,
        remembered: undefined,
        now: NOW,
        requestedAt: REQUESTED,
        ...partial,
      };
      const outcome = decideAuthorization(facts, step);
      const shown =
        outcome.kind === 'error'
          ? `error:${outcome.error.error}`
          : outcome.kind === 'issue-code' && outcome.rememberConsent
            ? 'issue-code:remember'
            : outcome.kind;
      assert.equal(shown, expected);
    });
  }
});
