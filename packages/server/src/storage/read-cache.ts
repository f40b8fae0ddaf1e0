// Read caches for the rows every request reads and admins rarely change: clients, authorization servers
// with their scopes, and custom claims. A cached row is at most 5 s old on any instance (ARCHITECTURE
// "Scale": caches expire within seconds and are never the source of truth); a write through this store
// forgets the rows it touched at once, and again when its transaction has committed, so the instance that
// wrote never serves the old row. Reads inside a transaction always go to the database.
import type { Clock } from '../deps.ts';
import type {
  AuthorizationServerRow,
  AuthorizationServerStore,
  ClaimRow,
  ClaimStore,
  ClientRow,
  ClientStore,
  ScopeRow,
  Store,
} from './store.ts';

/** Whole seconds of the injected clock: `now - loadedAt < 4` keeps every entry under 5 s of real age. */
const FRESH_SECONDS = 4;
const MAX_ENTRIES = 10_000;

class TtlCache<V> {
  private readonly entries = new Map<string, { loadedAt: number; value: Promise<V> }>();

  constructor(private readonly clock: Clock) {}

  get(key: string, load: () => Promise<V>): Promise<V> {
    const now = this.clock.now();
    const entry = this.entries.get(key);
    if (entry !== undefined && now - entry.loadedAt < FRESH_SECONDS) return entry.value;
    // Concurrent misses share one query; a failed load is not kept.
    const value = load();
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(key, { loadedAt: now, value });
    value.catch(() => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
    });
    return value;
  }

  forget(key: string): void {
    this.entries.delete(key);
  }
}

interface Caches {
  clients: TtlCache<ClientRow | undefined>;
  servers: TtlCache<AuthorizationServerRow | undefined>;
  scopes: TtlCache<ScopeRow[]>;
  claims: TtlCache<ClaimRow[]>;
}

/** Wraps `store` so hot reads are cached; writes through the wrapper invalidate what they touch. */
export function withReadCache(store: Store, clock: Clock): Store {
  const caches: Caches = {
    clients: new TtlCache(clock),
    servers: new TtlCache(clock),
    scopes: new TtlCache(clock),
    claims: new TtlCache(clock),
  };
  return wrap(store, caches, { inTransaction: false, touched: undefined });
}

interface Scope {
  inTransaction: boolean;
  /** Invalidations to repeat once the transaction has committed. */
  touched: (() => void)[] | undefined;
}

function wrap(store: Store, caches: Caches, scope: Scope): Store {
  const forget = (fn: () => void): void => {
    fn();
    scope.touched?.push(fn);
  };
  const after = async <T>(write: Promise<T>, fn: () => void): Promise<T> => {
    forget(fn);
    try {
      return await write;
    } finally {
      fn();
    }
  };
  const cached = <V>(cache: TtlCache<V>, key: string, load: () => Promise<V>): Promise<V> =>
    scope.inTransaction ? load() : cache.get(key, load);

  const clients: ClientStore = {
    ...store.clients,
    get: (clientId) => cached(caches.clients, clientId, () => store.clients.get(clientId)),
    create: (row) => after(store.clients.create(row), () => caches.clients.forget(row.clientId)),
    update: (id, patch) => after(store.clients.update(id, patch), () => caches.clients.forget(id)),
    delete: (id) => after(store.clients.delete(id), () => caches.clients.forget(id)),
  };
  const forgetServer = (id: string) => () => {
    caches.servers.forget(id);
    caches.scopes.forget(id);
  };
  const authorizationServers: AuthorizationServerStore = {
    ...store.authorizationServers,
    get: (id) => cached(caches.servers, id, () => store.authorizationServers.get(id)),
    listScopes: (id) => cached(caches.scopes, id, () => store.authorizationServers.listScopes(id)),
    create: (row) => after(store.authorizationServers.create(row), forgetServer(row.id)),
    update: (id, patch) => after(store.authorizationServers.update(id, patch), forgetServer(id)),
    addScope: (row) => after(store.authorizationServers.addScope(row), forgetServer(row.serverId)),
    deleteScope: (id, name) => after(store.authorizationServers.deleteScope(id, name), forgetServer(id)),
  };
  const forgetClaims = (serverId: string) => () => caches.claims.forget(serverId);
  const claims: ClaimStore = {
    ...store.claims,
    listForServer: (id) => cached(caches.claims, id, () => store.claims.listForServer(id)),
    create: (row) => after(store.claims.create(row), forgetClaims(row.serverId)),
    update: (serverId, id, patch) => after(store.claims.update(serverId, id, patch), forgetClaims(serverId)),
    delete: (serverId, id) => after(store.claims.delete(serverId, id), forgetClaims(serverId)),
  };

  const wrapped: Store = {
    ...store,
    clients,
    authorizationServers,
    claims,
    async transaction(fn) {
      if (scope.inTransaction) return fn(wrapped);
      const inner: Scope = { inTransaction: true, touched: [] };
      try {
        return await store.transaction((tx) => fn(wrap(tx, caches, inner)));
      } finally {
        // Committed or rolled back: either way, the next read goes to the database.
        for (const fn of inner.touched ?? []) fn();
      }
    },
  };
  return wrapped;
}
