// Starts the example API: PORT (default 3000), LATCHKEY_ISSUER (default the local default server),
// LATCHKEY_AUDIENCE (default api://default).

import { buildExampleApi } from './app.ts';

const issuer = process.env['LATCHKEY_ISSUER'] ?? 'http://localhost:8080/oauth2/default';
const app = await buildExampleApi({
  issuer,
  audience: process.env['LATCHKEY_AUDIENCE'],
  logger: { level: process.env['LOG_LEVEL'] ?? 'info' },
});
const address = await app.listen({
  port: Number(process.env['PORT'] ?? 3000),
  host: process.env['HOST'] ?? '127.0.0.1',
});
app.log.info(`example API on ${address}, accepting access tokens from ${issuer}`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
