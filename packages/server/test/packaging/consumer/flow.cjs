// What an app does with the installed packages, shared by esm.mjs (import) and cjs.cjs (require): a PKCE
// pair and discovery from @latchkey/client, the authorization URL printed as a JSON line for the test to
// sign in with, the redirect read back on stdin, the code exchanged, and the access token verified with
// @latchkey/verifier. The result is the last JSON line on stdout.
const { createHash } = require('node:crypto');
const { createInterface } = require('node:readline');

const REDIRECT_URI = 'http://127.0.0.1/callback';

/** @param {{ client: any, node: any, verifier: any, fastify: any, express: any, resolved: string[] }} packages */
exports.run = async ({ client, node, verifier, fastify, express, resolved }) => {
  const issuer = process.env.LATCHKEY_ISSUER;
  const clientId = process.env.LATCHKEY_CLIENT_ID;
  const pkce = await client.generatePkce();
  // RFC 7636 §4.2: S256 is BASE64URL(SHA256(verifier)); computed here with node:crypto, not the client.
  const pkceValid = pkce.challenge === createHash('sha256').update(pkce.verifier).digest('base64url');
  const metadata = await client.discover(issuer);
  const request = await client.createAuthorizationRequest(metadata, {
    clientId,
    redirectUri: REDIRECT_URI,
    scopes: ['openid', 'profile'],
    pkce,
  });
  console.log(JSON.stringify({ authorizationUrl: request.url }));
  const lines = createInterface({ input: process.stdin });
  const { value: redirect } = await lines[Symbol.asyncIterator]().next();
  lines.close();
  const { code } = client.parseCallback(redirect, request);
  const tokens = await client.exchangeCode(metadata, {
    clientId,
    code,
    redirectUri: REDIRECT_URI,
    codeVerifier: request.codeVerifier,
  });
  const accessTokens = verifier.createVerifier({ issuer, audience: 'api://default' });
  const claims = await accessTokens.verifyAccessToken(tokens.accessToken, { clientIds: [clientId] });
  const forged = await accessTokens.verifyAccessToken(`${tokens.accessToken.slice(0, -4)}AAAA`).then(
    () => 'accepted',
    (error) => (error instanceof verifier.InvalidTokenError ? error.reason : String(error)),
  );
  console.log(
    JSON.stringify({
      resolved,
      pkceValid,
      discoveredIssuer: metadata.issuer,
      authorizationUrl: request.url,
      sub: claims.sub,
      cid: claims.cid,
      scp: claims.scp,
      forged,
      entries: {
        loginWithLoopback: typeof node.loginWithLoopback,
        clientErrorShared: new node.LoginTimeoutError(REDIRECT_URI, 1) instanceof client.LatchkeyClientError,
        latchkeyVerifier: typeof fastify.latchkeyVerifier,
        expressVerifier: typeof express.expressVerifier,
      },
    }),
  );
};
