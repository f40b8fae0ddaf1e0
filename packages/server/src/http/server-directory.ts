// Looks up the authorization server named in the path, with its custom scopes. A short cache lets
// discovery and /keys answer from memory while the database is down (SECURITY-MATRIX rule 4); it is
// never the source of truth (ARCHITECTURE "Scale").

import type { Deps } from '../deps.ts';
import { issuerFor } from '../oauth/discovery.ts';
import type { AuthorizationServerRow, ScopeRow } from '../storage/store.ts';

export interface ResolvedServer {
  server: AuthorizationServerRow;
  scopes: ScopeRow[];
  issuer: string;
}

const CACHE_SECONDS = 5;

export class ServerDirectory {
  private readonly cache = new Map<string, { loadedAt: number; value: ResolvedServer | undefined }>();

  constructor(private readonly deps: Pick<Deps, 'store' | 'clock' | 'config'>) {}

  /** Undefined for an unknown or inactive server. */
  async resolve(
    serverId: string,
    options: { allowStale?: boolean } = {},
  ): Promise<ResolvedServer | undefined> {
    const now = this.deps.clock.now();
    const cached = this.cache.get(serverId);
    if (cached !== undefined && now - cached.loadedAt < CACHE_SECONDS) return cached.value;
    try {
      const server = await this.deps.store.authorizationServers.get(serverId);
      const value =
        server === undefined || server.status !== 'ACTIVE'
          ? undefined
          : {
              server,
              scopes: await this.deps.store.authorizationServers.listScopes(serverId),
              issuer: issuerFor(this.deps.config.publicUrl, serverId),
            };
      if (this.cache.size > 1000) this.cache.clear();
      this.cache.set(serverId, { loadedAt: now, value });
      return value;
    } catch (error) {
      if (options.allowStale && cached !== undefined) return cached.value;
      throw error;
    }
  }
}
