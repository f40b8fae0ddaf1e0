// `latchkey-example whoami`: the validated ID token's claims and the user's /v1/userinfo.

import { fetchUserInfo, validateIdToken } from '@latchkey/client';
import { currentTokens, openContext } from '../context.ts';
import { UsageError } from '../settings.ts';

export async function whoami(options: { json?: boolean }): Promise<void> {
  const context = await openContext();
  const { tokens } = await currentTokens(context);
  if (tokens.idToken === undefined)
    throw new UsageError(
      'No ID token stored (the openid scope was not granted). Run: latchkey-example login',
    );
  // Validated again on every use: the file could have been edited. No nonce: it may be a refreshed token.
  const claims = await validateIdToken(tokens.idToken, {
    metadata: context.metadata,
    clientId: context.clientId,
    accessToken: tokens.accessToken,
  });
  const userinfo = await fetchUserInfo(context.metadata, tokens.accessToken, { expectedSubject: claims.sub });
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ claims, userinfo }, null, 2)}\n`);
    return;
  }
  process.stdout.write(
    `ID token claims (signature, issuer, audience and expiry checked):\n${indent(claims)}\n\n` +
      `UserInfo (${context.metadata.userinfo_endpoint}):\n${indent(userinfo)}\n`,
  );
}

function indent(value: object): string {
  return JSON.stringify(value, null, 2)
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
}
