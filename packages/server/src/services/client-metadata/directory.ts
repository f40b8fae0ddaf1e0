// Resolves URL client ids (draft-ietf-oauth-client-id-metadata-document) where every other client id is
// read from the store: `clients.get(url)` fetches, validates and caches the document and yields the same
// ClientRow a registered app has, so /authorize, /token and every later lookup treat both alike.
// Cached in memory and in the store (shared by every instance) for the response's cache lifetime, clamped
// to the configured bounds. A refusal throws OAuthError invalid_client with the reason.

import { recordEvent } from '../../audit.ts';
import type { ClientMetadataSettings } from '../../config/schema.ts';
import type { Deps } from '../../deps.ts';
import { checkClientIdUrl, isBlockedHost, isUrlClientId } from '../../oauth/client-metadata/client-id-url.ts';
import {
  type ClientMetadataDocument,
  clientFromDocument,
  validateClientMetadataDocument,
} from '../../oauth/client-metadata/client-metadata-document.ts';
import { OAuthError } from '../../oauth/errors.ts';
import type { ClientRow, Store } from '../../storage/store.ts';
import { DocumentFetchError, type FetchLimits, fetchClientMetadataDocument } from './fetch-document.ts';

export const FETCH_EVENT = 'app.oauth2.client_metadata.fetch';
const MAX_MEMORY_ENTRIES = 1000;
/** A refused URL is not fetched again for this long (one client cannot make us fetch in a loop). */
const REFUSAL_MEMORY_SECONDS = 30;
/**
 * Fetches under way at once, per instance: the token endpoint's budget is per client id, and every new URL
 * is a new client id, so this is what bounds the outbound requests anyone can make this server send.
 */
const MAX_CONCURRENT_FETCHES = 16;
/** `lastSeenAt` is written at most this often per client. */
const TOUCH_INTERVAL_SECONDS = 60;
/** Documents not seen for this long leave the store. */
const FORGET_AFTER_SECONDS = 30 * 86_400;

type DirectoryDeps = Pick<Deps, 'clock' | 'log'> & { settings: ClientMetadataSettings; limits: FetchLimits };

interface Remembered {
  client: ClientRow;
  expiresAt: number;
}

/** Wraps `store` so that `clients.get` of a URL client id resolves its metadata document. */
export function withClientMetadataDocuments(store: Store, deps: DirectoryDeps): Store {
  const resolver = new ClientMetadataResolver(store, deps);
  const wrap = (inner: Store): Store => ({
    ...inner,
    clients: {
      ...inner.clients,
      get: (clientId) => (isUrlClientId(clientId) ? resolver.resolve(clientId) : inner.clients.get(clientId)),
    },
    transaction: (fn) => inner.transaction((tx) => fn(wrap(tx))),
  });
  return wrap(store);
}

class ClientMetadataResolver {
  private readonly memory = new Map<string, Remembered>();
  private readonly refused = new Map<string, { description: string; until: number }>();
  private readonly touched = new Map<string, number>();
  private readonly inFlight = new Map<string, Promise<ClientRow>>();

  constructor(
    private readonly store: Store,
    private readonly deps: DirectoryDeps,
  ) {}

  async resolve(clientId: string): Promise<ClientRow> {
    const { settings } = this.deps;
    if (!settings.enabled) {
      throw refusal(
        clientId,
        'this server does not accept Client ID Metadata Documents (LATCHKEY_CLIENT_METADATA_DOCUMENTS=off); ask its administrator to register the app.',
      );
    }
    const problem = checkClientIdUrl(clientId);
    if (problem !== undefined) throw refusal(clientId, problem);
    const host = new URL(clientId).hostname;
    if (isBlockedHost(host, settings.blockHosts)) {
      throw refusal(clientId, `apps from ${host} are blocked by this server's administrator.`);
    }
    const now = this.deps.clock.now();
    const client = await this.cached(clientId, now);
    this.touch(clientId, now);
    return client;
  }

  private async cached(clientId: string, now: number): Promise<ClientRow> {
    const remembered = this.memory.get(clientId);
    if (remembered !== undefined && remembered.expiresAt > now) return remembered.client;
    const refused = this.refused.get(clientId);
    if (refused !== undefined && refused.until > now) throw refusal(clientId, refused.description);
    const row = await this.store.clientMetadataDocuments.get(clientId);
    if (row !== undefined && row.expiresAt > now) {
      const validated = validateClientMetadataDocument(clientId, JSON.parse(row.document));
      if ('document' in validated) return this.remember(validated.document, row.fetchedAt, row.expiresAt);
    }
    // Concurrent requests for one document share one fetch.
    let pending = this.inFlight.get(clientId);
    if (pending === undefined) {
      if (this.inFlight.size >= MAX_CONCURRENT_FETCHES) {
        throw new OAuthError(
          'temporarily_unavailable',
          'Too many client metadata documents are being fetched right now; try again in a few seconds.',
          { headers: { 'Retry-After': '5' } },
        );
      }
      pending = this.fetch(clientId, now).finally(() => this.inFlight.delete(clientId));
      this.inFlight.set(clientId, pending);
    }
    return pending;
  }

  private async fetch(clientId: string, now: number): Promise<ClientRow> {
    const { settings, limits } = this.deps;
    let document: ClientMetadataDocument;
    let lifetime: number;
    try {
      const fetched = await fetchClientMetadataDocument(new URL(clientId), {
        ...limits,
        allowHosts: settings.allowHosts,
      });
      const validated = validateClientMetadataDocument(clientId, fetched.body);
      if ('problem' in validated) throw new DocumentFetchError(validated.problem);
      document = validated.document;
      lifetime = Math.min(
        settings.cacheMaxSeconds,
        Math.max(settings.cacheMinSeconds, fetched.freshForSeconds ?? settings.cacheMinSeconds),
      );
    } catch (error) {
      if (!(error instanceof DocumentFetchError)) throw error;
      this.refused.set(clientId, { description: error.message, until: now + REFUSAL_MEMORY_SECONDS });
      if (this.refused.size > MAX_MEMORY_ENTRIES) this.refused.clear();
      await this.record(clientId, 'FAILURE', error.message);
      throw refusal(clientId, error.message);
    }
    const expiresAt = now + lifetime;
    await this.store.clientMetadataDocuments.put({
      clientId,
      host: new URL(clientId).host,
      clientName: document.client_name ?? null,
      document: JSON.stringify(document),
      fetchedAt: now,
      expiresAt,
      lastSeenAt: now,
    });
    this.touched.set(clientId, now);
    await this.store.clientMetadataDocuments.prune(now - FORGET_AFTER_SECONDS);
    await this.record(
      clientId,
      'SUCCESS',
      `fetched the client metadata document of "${document.client_name ?? clientId}"; cached for ${lifetime} s`,
    );
    return this.remember(document, now, expiresAt);
  }

  private remember(document: ClientMetadataDocument, fetchedAt: number, expiresAt: number): ClientRow {
    const client = clientFromDocument(document, fetchedAt);
    if (this.memory.size >= MAX_MEMORY_ENTRIES) this.memory.clear();
    this.memory.set(client.clientId, { client, expiresAt });
    this.refused.delete(client.clientId);
    return client;
  }

  /** For the console's "recently seen" list; never fails the request. */
  private touch(clientId: string, now: number): void {
    const last = this.touched.get(clientId) ?? 0;
    if (now - last < TOUCH_INTERVAL_SECONDS) return;
    if (this.touched.size >= MAX_MEMORY_ENTRIES) this.touched.clear();
    this.touched.set(clientId, now);
    this.store.clientMetadataDocuments.touch(clientId, now).catch((error: unknown) => {
      this.deps.log.warn({ err: error }, 'could not record the use of a client metadata document');
    });
  }

  private record(clientId: string, outcome: 'SUCCESS' | 'FAILURE', reason: string): Promise<void> {
    return recordEvent(
      { store: this.store, clock: this.deps.clock, log: this.deps.log },
      {
        type: FETCH_EVENT,
        outcome,
        clientId,
        reason: `${clientId}: ${reason}`,
        ...(outcome === 'FAILURE' ? { error: 'invalid_client' } : {}),
      },
    );
  }
}

function refusal(clientId: string, reason: string): OAuthError {
  return new OAuthError(
    'invalid_client',
    `The client metadata document at ${clientId} cannot be used: ${reason}`,
    {
      status: 401,
    },
  );
}
