// The settings Latchkey reads from the environment, in one list: loadConfig takes each default from here
// and `latchkey serve --help` prints the same list, so the help never disagrees with what runs.

export interface SettingDefinition {
  /** The environment variable. */
  name: string;
  /** The default, as the help shows it; `undefined` for a setting without one. */
  default: string | undefined;
  description: string;
}

export const SETTINGS = [
  { name: 'PORT', default: '8080', description: 'port to listen on (0 picks a free one)' },
  { name: 'HOST', default: '0.0.0.0', description: 'address to bind' },
  {
    name: 'LATCHKEY_PUBLIC_URL',
    default: 'http://localhost:$PORT',
    description: 'public base URL; every issuer is {this}/oauth2/{server id}',
  },
  {
    name: 'LATCHKEY_HOME',
    default: 'the repository root (or the project that installed Latchkey)',
    description:
      'folder of the default database and secret; relative sqlite: paths start here, whatever the working directory',
  },
  {
    name: 'DATABASE_URL',
    default: 'sqlite:data/latchkey.db',
    description: 'sqlite:<file> (relative to LATCHKEY_HOME) or postgres://user@host:5432/db',
  },
  {
    name: 'LATCHKEY_SECRET',
    default: 'generated into latchkey.secret next to the SQLite file',
    description: 'seals the signing keys; at least 32 characters; required with PostgreSQL',
  },
  {
    name: 'LATCHKEY_TRUST_PROXY',
    default: 'none',
    description: 'comma-separated proxy addresses/CIDRs whose X-Forwarded-* headers are trusted',
  },
  {
    name: 'LATCHKEY_TOKEN_RATE_LIMIT',
    default: '600',
    description: '/v1/token requests per minute per client; 0 turns it off',
  },
  {
    name: 'LATCHKEY_SIGNIN_RATE_LIMIT',
    default: '60',
    description: 'sign-in posts per minute per address and per login; 0 turns it off',
  },
  {
    name: 'LATCHKEY_AUTHORIZE_RATE_LIMIT',
    default: '300',
    description: '/v1/authorize requests per minute per address; 0 turns it off',
  },
  {
    name: 'LATCHKEY_REGISTRATION_RATE_LIMIT',
    default: '20',
    description: 'dynamic client registration requests per minute per address; 0 turns it off',
  },
  {
    name: 'LATCHKEY_CLIENT_REGISTRATION',
    default: 'off',
    description:
      'dynamic client registration (RFC 7591) at /oauth2/v1/clients: off, token (initial access token) or open',
  },
  {
    name: 'LATCHKEY_CLIENT_METADATA_DOCUMENTS',
    default: 'on',
    description:
      'on: an https URL as client_id is fetched as its Client ID Metadata Document; off refuses them',
  },
  {
    name: 'LATCHKEY_CLIENT_METADATA_ALLOW_HOSTS',
    default: undefined,
    description: 'development only: comma-separated hosts whose addresses are not checked (e.g. localhost)',
  },
  {
    name: 'LATCHKEY_CLIENT_METADATA_BLOCK_HOSTS',
    default: undefined,
    description: 'comma-separated hosts (and their subdomains) whose metadata documents are refused',
  },
  {
    name: 'LATCHKEY_CLIENT_METADATA_CACHE_MIN_SECONDS',
    default: '300',
    description: 'shortest time a fetched metadata document is reused',
  },
  {
    name: 'LATCHKEY_CLIENT_METADATA_CACHE_MAX_SECONDS',
    default: '86400',
    description: 'longest time a fetched metadata document is reused',
  },
  {
    name: 'LATCHKEY_DB_TIMEOUT_MS',
    default: '2000',
    description: 'PostgreSQL: bound in ms for connecting, waiting on a pooled connection and one statement',
  },
  {
    name: 'LATCHKEY_DB_POOL_SIZE',
    default: '10',
    description: 'PostgreSQL: connections per instance',
  },
  {
    name: 'LATCHKEY_DRAIN_SECONDS',
    default: '5',
    description: 'after SIGTERM: seconds of serving while /readyz answers 503, before the listener closes',
  },
  {
    name: 'LATCHKEY_TEST_CLOCK_OFFSET_MS',
    default: undefined,
    description: 'tests only (refused unless NODE_ENV=test): shifts this instance clock',
  },
  {
    name: 'LATCHKEY_EVENT_RETENTION_DAYS',
    default: '90',
    description: 'days system-log events are kept; 0 keeps them forever',
  },
  {
    name: 'LATCHKEY_DEV_MODE',
    default: 'false',
    description: "true shows apps' registered redirect URIs on error pages to anyone; never in production",
  },
  {
    name: 'LATCHKEY_SESSION_COOKIE_SAMESITE',
    default: 'auto',
    description: 'SameSite of the SSO cookie: auto (None under https, Lax under http), lax, strict or none',
  },
  { name: 'LOG_LEVEL', default: 'info', description: 'fatal, error, warn, info, debug, trace or silent' },
  {
    name: 'LOG_FORMAT',
    default: 'json (pretty when stdout is a terminal)',
    description: 'json or pretty (pretty needs the optional pino-pretty package)',
  },
  {
    name: 'LATCHKEY_METRICS_ADDRESS',
    default: 'none',
    description: 'host:port of a separate, unauthenticated listener for GET /metrics (bind it privately)',
  },
  {
    name: 'LATCHKEY_METRICS_TOKEN',
    default: 'none',
    description: 'serves /metrics on the main listener to Authorization: Bearer <token>; 16+ characters',
  },
  {
    name: 'LATCHKEY_BOOTSTRAP_ADMIN_EMAIL',
    default: undefined,
    description:
      'with the password below: creates the first admin at start-up (else a setup link is printed)',
  },
  {
    name: 'LATCHKEY_BOOTSTRAP_ADMIN_PASSWORD',
    default: undefined,
    description: "the first admin's password",
  },
] as const satisfies readonly SettingDefinition[];

export type SettingName = (typeof SETTINGS)[number]['name'];

/** The default of a setting that has a literal one (PORT, LOG_LEVEL, the rate limits, …). */
export function defaultOf(name: SettingName): string {
  const setting: SettingDefinition | undefined = SETTINGS.find((candidate) => candidate.name === name);
  if (setting?.default === undefined) throw new Error(`${name} has no default`);
  return setting.default;
}

/** The list `latchkey serve --help` prints. */
export function settingsHelp(): string {
  const width = Math.max(...SETTINGS.map((setting) => setting.name.length));
  const lines = SETTINGS.map((setting: SettingDefinition) => {
    const fallback = setting.default === undefined ? '' : ` (default: ${setting.default})`;
    return `  ${setting.name.padEnd(width)}  ${setting.description}${fallback}`;
  });
  return ['Settings (environment variables):', ...lines].join('\n');
}
