// `latchkey apps …`: registering OAuth clients. Every rule (redirect URIs, PKCE, grants, leeway) lives in
// services/apps.ts, shared with the admin API, so the CLI only maps flags to settings and prints.
// The JSON shape follows RFC 7591 client metadata as Okta's /oauth2/v1/clients returns it.

import { readFileSync } from 'node:fs';
import { type Command, Option } from 'commander';
import {
  APPLICATION_TYPES,
  type AppSettings,
  createApp,
  deleteApp,
  requireApp,
  updateApp,
} from '../services/apps.ts';
import type { ClientRow } from '../storage/store.ts';
import { repeatable, wholeSeconds, withContext } from './context.ts';
import { emit, fields, isoTime, type JsonOption, notice, table, writeLines } from './output.ts';

const CONSENT = { required: 'REQUIRED', trusted: 'TRUSTED' } as const;
const AUTH_METHODS = ['client_secret_basic', 'client_secret_post', 'private_key_jwt'] as const;

interface SettingOptions extends JsonOption {
  name?: string;
  redirectUri?: string[];
  postLogoutRedirectUri?: string[];
  grant?: string[];
  consent?: keyof typeof CONSENT;
  leeway?: number;
  /** `--pkce-required` / `--no-pkce-required`; undefined when neither is given. */
  pkceRequired?: boolean;
  authMethod?: (typeof AUTH_METHODS)[number];
  logoUri?: string;
  /** A file holding the app's public JWK Set (private_key_jwt). */
  jwks?: string;
  jwksUri?: string;
}

interface CreateOptions extends SettingOptions {
  name: string;
  type: AppSettings['applicationType'] | 'spa';
}

const TYPE_CHOICES = ['native', 'spa', ...APPLICATION_TYPES.filter((type) => type !== 'native')];

export function appJson(client: ClientRow, clientSecret?: string): Record<string, unknown> {
  return {
    client_id: client.clientId,
    ...(clientSecret === undefined ? {} : { client_secret: clientSecret }),
    client_name: client.name,
    application_type: client.applicationType,
    token_endpoint_auth_method: client.tokenEndpointAuthMethod,
    redirect_uris: client.redirectUris,
    post_logout_redirect_uris: client.postLogoutRedirectUris,
    grant_types: client.grantTypes,
    ...(client.jwks === null ? {} : { jwks: JSON.parse(client.jwks) as unknown }),
    ...(client.jwksUri === null ? {} : { jwks_uri: client.jwksUri }),
    response_types: ['code'],
    pkce_required: client.pkceRequired,
    logo_uri: client.logoUri,
    consent_method: client.consentMethod,
    refresh_token: { rotation_type: client.refreshRotation, leeway: client.refreshLeewaySeconds },
    status: client.status,
    created: isoTime(client.createdAt),
  };
}

function appText(client: ClientRow, clientSecret?: string): string[] {
  return fields([
    ['Client ID', client.clientId],
    ...(clientSecret === undefined ? [] : [['Client secret', clientSecret] as const]),
    ['Name', client.name],
    ['Type', client.applicationType],
    ['Token endpoint auth', client.tokenEndpointAuthMethod],
    ['Redirect URIs', client.redirectUris],
    ['Post-logout redirect URIs', client.postLogoutRedirectUris],
    ['Grant types', client.grantTypes.join(', ')],
    ...(client.jwksUri === null ? [] : [['JWK Set URL', client.jwksUri] as const]),
    ...(client.jwks === null ? [] : [['JWK Set', 'registered (see --json)'] as const]),
    ['PKCE required', client.pkceRequired],
    ['Logo', client.logoUri ?? '-'],
    ['Consent', client.consentMethod],
    ['Refresh token rotation', `${client.refreshRotation} (leeway ${client.refreshLeewaySeconds} s)`],
    ['Status', client.status],
    ['Created', isoTime(client.createdAt)],
  ]);
}

/** The flags create and update share; only those given end up in the patch. */
function settingsFrom(options: SettingOptions): Partial<AppSettings> {
  const patch: Partial<AppSettings> = {};
  if (options.name !== undefined) patch.name = options.name;
  if (options.redirectUri !== undefined) patch.redirectUris = options.redirectUri;
  if (options.postLogoutRedirectUri !== undefined)
    patch.postLogoutRedirectUris = options.postLogoutRedirectUri;
  if (options.grant !== undefined) patch.grantTypes = options.grant;
  if (options.consent !== undefined) patch.consentMethod = CONSENT[options.consent];
  if (options.leeway !== undefined) patch.refreshLeewaySeconds = options.leeway;
  if (options.pkceRequired !== undefined) patch.pkceRequired = options.pkceRequired;
  if (options.authMethod !== undefined) patch.tokenEndpointAuthMethod = options.authMethod;
  if (options.logoUri !== undefined) patch.logoUri = options.logoUri;
  if (options.jwks !== undefined) patch.jwks = readFileSync(options.jwks, 'utf8');
  if (options.jwksUri !== undefined) patch.jwksUri = options.jwksUri;
  return patch;
}

function addSettingOptions(command: Command, redirectUri: Option): Command {
  return command
    .addOption(redirectUri.argParser(repeatable))
    .option('--post-logout-redirect-uri <uri>', 'sign-out redirect URI; repeatable', repeatable)
    .option('--grant <grant>', 'grant besides authorization_code, e.g. refresh_token; repeatable', repeatable)
    .addOption(new Option('--consent <consent>', 'ask users for consent').choices(Object.keys(CONSENT)))
    .option('--leeway <seconds>', 'refresh-token rotation grace period, 0-60', wholeSeconds)
    .addOption(
      new Option('--auth-method <method>', 'web and service apps: how the app authenticates').choices(
        AUTH_METHODS,
      ),
    )
    .option('--pkce-required', 'web apps: require PKCE (always on for native and spa apps)')
    .option('--no-pkce-required', 'web apps: do not require PKCE (the default, as in Okta)')
    .option('--logo-uri <url>', 'https URL of a logo shown on the sign-in page ("" removes it)')
    .option('--jwks <file>', 'private_key_jwt: a file with the public JWK Set {"keys":[…]}')
    .option('--jwks-uri <url>', 'private_key_jwt: the https URL of the public JWK Set')
    .option('--json', 'print JSON');
}

export function registerApps(program: Command): void {
  const apps = program.command('apps').description('register and manage apps (OAuth clients)');

  addSettingOptions(
    apps
      .command('create')
      .description('register an app; a web or service app gets a client secret, shown only once')
      .requiredOption('--name <name>', 'display name')
      .addOption(
        new Option(
          '--type <type>',
          'native (mobile, desktop), spa (single-page app; also "browser", Okta\'s name), web (server-side, has a secret), service (machine-to-machine, no users)',
        )
          .choices(TYPE_CHOICES)
          .makeOptionMandatory(),
      ),
    new Option('--redirect-uri <uri>', 'sign-in redirect URI; repeat for more (not for service apps)'),
  ).action((options: CreateOptions) =>
    withContext(async ({ store, clock }) => {
      const { client, clientSecret } = await createApp(
        { store, clock },
        {
          redirectUris: [],
          ...settingsFrom(options),
          name: options.name,
          // Okta calls a single-page app's type "browser"; "spa" is what people type.
          applicationType: options.type === 'spa' ? 'browser' : options.type,
        },
      );
      emit(options, appJson(client, clientSecret), () => appText(client, clientSecret));
      if (clientSecret !== undefined && !options.json) {
        notice('Warning: the client secret is shown only this once (only its hash is stored). Copy it now.');
      }
    }),
  );

  apps
    .command('list')
    .description('list apps')
    .option('--json', 'print JSON')
    .action((options: JsonOption) =>
      withContext(async ({ store }) => {
        const clients = await store.clients.list();
        const rows = clients.map((client) => [
          client.clientId,
          client.applicationType,
          client.status,
          client.name,
        ]);
        emit(
          options,
          clients.map((client) => appJson(client)),
          () =>
            table(
              ['CLIENT ID', 'TYPE', 'STATUS', 'NAME'],
              rows,
              'No apps yet. See: latchkey apps create --help',
            ),
        );
      }),
    );

  apps
    .command('show')
    .description('show an app (never its secret: only a hash is stored)')
    .argument('<clientId>')
    .option('--json', 'print JSON')
    .action((clientId: string, options: JsonOption) =>
      withContext(async ({ store }) => {
        const client = await requireApp(store, clientId);
        emit(options, appJson(client), () => appText(client));
      }),
    );

  addSettingOptions(
    apps
      .command('update')
      .description('change an app; list options replace the whole list when given')
      .argument('<clientId>')
      .option('--name <name>', 'display name'),
    new Option('--redirect-uri <uri>', 'sign-in redirect URI; repeatable, replaces the registered list'),
  ).action((clientId: string, options: SettingOptions) =>
    withContext(async ({ store, clock }) => {
      const client = await updateApp({ store, clock }, clientId, settingsFrom(options));
      emit(options, appJson(client), () => appText(client));
    }),
  );

  apps
    .command('delete')
    .description('delete an app (its users can no longer sign in to it)')
    .argument('<clientId>')
    .action((clientId: string) =>
      withContext(async ({ store, clock }) => {
        await deleteApp({ store, clock }, clientId);
        writeLines([`Deleted app ${clientId}.`]);
      }),
    );
}
