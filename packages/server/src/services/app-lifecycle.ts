// App lifecycle beyond create/update (Okta's Apps API): activate, deactivate and client-secret rotation.
// An INACTIVE app can neither authorize nor authenticate at the token endpoint (authorize.ts,
// client-authentication.ts), and deactivating it revokes its tokens (RT-08). A new secret replaces the old one at once; it is shown once and only its
// hash is stored (AD-02).

import type { Clock } from '../deps.ts';
import { generateOpaqueToken, sha256Hex } from '../oauth/random.ts';
import type { ClientRow, ClientStatus, Store } from '../storage/store.ts';
import { requireApp, revokeAppTokens } from './apps.ts';
import { ValidationError } from './errors.ts';

type AppDeps = { store: Store; clock: Clock };

export async function setAppStatus(
  deps: AppDeps,
  clientId: string,
  status: ClientStatus,
): Promise<ClientRow> {
  const client = await requireApp(deps.store, clientId);
  if (client.status === status) return client;
  const now = deps.clock.now();
  const patch = { status, updatedAt: now };
  await deps.store.transaction(async (store) => {
    await store.clients.update(clientId, patch);
    // RT-08: the tokens end in the database, so at once on every instance (a cached ACTIVE row on
    // another instance cannot revive them), and reactivation does not bring them back.
    if (status === 'INACTIVE') await revokeAppTokens(store, clientId, now);
  });
  return { ...client, ...patch };
}

export async function rotateClientSecret(
  deps: AppDeps,
  clientId: string,
): Promise<{ client: ClientRow; clientSecret: string }> {
  const client = await requireApp(deps.store, clientId);
  if (client.tokenEndpointAuthMethod === 'none') {
    throw new ValidationError(
      'invalid_client_metadata',
      'token_endpoint_auth_method',
      'A public client (native or browser app) has no client secret.',
    );
  }
  const clientSecret = generateOpaqueToken();
  const patch = { clientSecretHash: sha256Hex(clientSecret), updatedAt: deps.clock.now() };
  await deps.store.clients.update(clientId, patch);
  return { client: { ...client, ...patch }, clientSecret };
}
