// Looks up the authorization server named in the path, with its custom scopes. The rows come through
// the store's read cache (storage/read-cache.ts, at most 5 s stale); the last answer is kept so that
// discovery and /keys answer from memory while the database is down or slow (SECURITY-MATRIX rule 4,
// RL-05): they wait for it at most MEMORY_PATIENCE_MS (services/patience.ts).

import type { Deps } from '../deps.ts';
import { issuerFor } from '../oauth/discovery.ts';
import { freshOr } from '../services/patience.ts';
import type { AuthorizationServerRow, ScopeRow } from '../storage/store.ts';

export interface ResolvedServer {
  server: AuthorizationServerRow;
  scopes: ScopeRow[];
  issuer: string;
}

export class ServerDirectory {
  private readonly lastKnown = new Map<string, ResolvedServer | undefined>();
  private readonly loading = new Map<string, Promise<ResolvedServer | undefined>>();

  constructor(private readonly deps: Pick<Deps, 'store' | 'clock' | 'config'>) {}

  /** Undefined for an unknown or inactive server. `allowStale`: the last known answer may do (rule 4). */
  async resolve(
    serverId: string,
    options: { allowStale?: boolean } = {},
  ): Promise<ResolvedServer | undefined> {
    if (!options.allowStale) return this.query(serverId);
    const fresh = this.load(serverId);
    if (!this.lastKnown.has(serverId)) return fresh;
    return freshOr(fresh, () => this.lastKnown.get(serverId));
  }

  // One lookup per server at a time: during an outage, waiting requests do not pile up queries.
  private load(serverId: string): Promise<ResolvedServer | undefined> {
    let loading = this.loading.get(serverId);
    if (loading === undefined) {
      loading = this.query(serverId).finally(() => this.loading.delete(serverId));
      this.loading.set(serverId, loading);
    }
    return loading;
  }

  private async query(serverId: string): Promise<ResolvedServer | undefined> {
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
  }
}
