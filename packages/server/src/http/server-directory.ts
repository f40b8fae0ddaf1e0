// Looks up the authorization server named in the path, with its custom scopes. The rows come through
// the store's read cache (storage/read-cache.ts, at most 5 s stale); the last answer is kept so that
// discovery and /keys answer from memory while the database is down (SECURITY-MATRIX rule 4).

import type { Deps } from '../deps.ts';
import { issuerFor } from '../oauth/discovery.ts';
import type { AuthorizationServerRow, ScopeRow } from '../storage/store.ts';

export interface ResolvedServer {
  server: AuthorizationServerRow;
  scopes: ScopeRow[];
  issuer: string;
}

export class ServerDirectory {
  private readonly lastKnown = new Map<string, ResolvedServer | undefined>();

  constructor(private readonly deps: Pick<Deps, 'store' | 'clock' | 'config'>) {}

  /** Undefined for an unknown or inactive server. */
  async resolve(
    serverId: string,
    options: { allowStale?: boolean } = {},
  ): Promise<ResolvedServer | undefined> {
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
      if (this.lastKnown.size > 1000) this.lastKnown.clear();
      this.lastKnown.set(serverId, value);
      return value;
    } catch (error) {
      if (options.allowStale && this.lastKnown.has(serverId)) return this.lastKnown.get(serverId);
      throw error;
    }
  }
}
