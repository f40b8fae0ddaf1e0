// The peer under test: node-oidc-provider in a child process (bench/servers/peer-server.ts), driven through
// its development login and consent pages like a browser.

import type { Agent } from 'node:http';
import { join } from 'node:path';
import { PEER_CLIENT_ID, REDIRECT_URI, USER_EMAIL, USER_PASSWORD } from './constants.ts';
import { codeFrom, expectStatus, hiddenField, location, pkce, randomState, send } from './http.ts';
import { REPO_ROOT, startChild } from './process.ts';
import { type Browser, exchangeCode, refreshGrant, scopeFor, type Target, type Tokens } from './target.ts';

/** Redirects and pages a sign-in may take: /auth, login page, /auth/:uid, consent page, /auth/:uid. */
const MAX_HOPS = 12;

export async function startPeer(port: number, peerDir: string): Promise<Target> {
  const base = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    ISSUER: base,
    PEER_DIR: peerDir,
    NODE_ENV: 'production',
  };
  const child = await startChild(
    join(REPO_ROOT, 'bench/servers/peer-server.ts'),
    join(REPO_ROOT, 'bench'),
    env,
  );
  const tokenUrl = `${base}/token`;

  // offline_access is honoured by oidc-provider only with prompt=consent (OIDC Core §11), so a sign-in for
  // a refresh token asks for consent explicitly; a plain sign-in meets the consent page anyway, because a
  // new session has no grant yet.
  const authorizeUrl = (offline: boolean, challenge: string): string =>
    `${base}/auth?${new URLSearchParams({
      client_id: PEER_CLIENT_ID,
      response_type: 'code',
      scope: scopeFor(offline),
      redirect_uri: REDIRECT_URI,
      state: randomState(),
      nonce: randomState(),
      code_challenge_method: 'S256',
      code_challenge: challenge,
      ...(offline ? { prompt: 'consent' } : {}),
    })}`;

  return {
    name: 'oidc-provider',
    pid: child.pid,
    readyMs: child.readyMs,
    discoveryUrl: `${base}/.well-known/openid-configuration`,
    jwksUrl: `${base}/jwks`,
    async signIn({ agent, jar }: Browser, { offline }): Promise<Tokens> {
      const proof = pkce();
      let url = new URL(authorizeUrl(offline, proof.challenge));
      for (let hop = 0; hop < MAX_HOPS; hop++) {
        if (url.href.startsWith(REDIRECT_URI)) {
          const code = codeFrom(url, 'sign-in');
          return exchangeCode(agent, tokenUrl, PEER_CLIENT_ID, code, proof.verifier, offline);
        }
        const response = await send(agent, url.href, { jar });
        if (response.status >= 300 && response.status < 400) {
          url = location(response, base, `GET ${url.pathname}`);
          continue;
        }
        // An interaction page: the login form or the consent form, posted back to the same URL.
        expectStatus(response, [200], `GET ${url.pathname}`);
        const prompt = hiddenField(response.body, 'prompt');
        const form: Record<string, string> =
          prompt === 'login' ? { prompt, login: USER_EMAIL, password: USER_PASSWORD } : { prompt };
        const posted = expectStatus(await send(agent, url.href, { jar, form }), [302, 303], `POST ${prompt}`);
        url = location(posted, base, `POST ${prompt}`);
      }
      throw new Error(`sign-in: no code after ${MAX_HOPS} hops`);
    },
    async silent({ agent, jar }: Browser): Promise<Tokens> {
      const proof = pkce();
      const redirect = expectStatus(
        await send(agent, authorizeUrl(false, proof.challenge), { jar }),
        [302, 303],
        'authorize with a session',
      );
      const target = location(redirect, base, 'authorize');
      if (!target.href.startsWith(REDIRECT_URI)) {
        throw new Error(`authorize with a session went to ${target.pathname}, not to the app`);
      }
      const code = codeFrom(target, 'authorize');
      return exchangeCode(agent, tokenUrl, PEER_CLIENT_ID, code, proof.verifier, false);
    },
    refresh: (agent: Agent, refreshToken: string) =>
      refreshGrant(agent, tokenUrl, PEER_CLIENT_ID, refreshToken),
    stop: () => child.stop(),
  };
}
