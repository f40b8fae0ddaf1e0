// A TokenStore in a file readable only by the user (0600, in a 0700 folder). Good enough for an example
// and for development tools; the README says what a production app uses instead (the OS credential store).
// On disk the tokens look like the token response (snake_case), with the issuer and client they belong to.

import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { TokenSet, TokenStore } from '@latchkey/client';
import { writePrivateFile } from './private-file.ts';
import { ensureConfigDir, type Settings } from './settings.ts';

interface TokenFile {
  issuer: string;
  client_id: string;
  token_type: string;
  access_token: string;
  /** Seconds since the epoch. */
  expires_at?: number | undefined;
  scope?: string | undefined;
  id_token?: string | undefined;
  refresh_token?: string | undefined;
}

export class FileTokenStore implements TokenStore {
  readonly path: string;

  constructor(
    private readonly settings: Settings,
    private readonly clientId: string,
  ) {
    this.path = join(settings.configDir, 'tokens.json');
  }

  /** Tokens of another issuer or client (the settings changed) count as none. */
  async load(): Promise<TokenSet | undefined> {
    let file: TokenFile;
    try {
      file = JSON.parse(await readFile(this.path, 'utf8')) as TokenFile;
    } catch {
      return undefined;
    }
    if (file.issuer !== this.settings.issuer || file.client_id !== this.clientId) return undefined;
    return {
      accessToken: file.access_token,
      tokenType: file.token_type,
      expiresAt: file.expires_at,
      scope: file.scope,
      idToken: file.id_token,
      refreshToken: file.refresh_token,
    };
  }

  async save(tokens: TokenSet): Promise<void> {
    await ensureConfigDir(this.settings);
    const file: TokenFile = {
      issuer: this.settings.issuer,
      client_id: this.clientId,
      token_type: tokens.tokenType,
      access_token: tokens.accessToken,
      expires_at: tokens.expiresAt,
      scope: tokens.scope,
      id_token: tokens.idToken,
      refresh_token: tokens.refreshToken,
    };
    await writePrivateFile(this.path, `${JSON.stringify(file, null, 2)}\n`);
  }

  async clear(): Promise<void> {
    await rm(this.path, { force: true });
  }
}
