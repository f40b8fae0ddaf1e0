// `latchkey-example call`: calls the example API with the access token, refreshing it first when it has
// expired (RFC 6750 §2.1 bearer header).

import { currentTokens, openContext } from '../context.ts';

interface MessagesResponse {
  user: string;
  messages: Array<{ id: number; from: string; text: string }>;
}

export async function call(path: string, options: { json?: boolean }): Promise<void> {
  const context = await openContext();
  const { tokens, refreshed } = await currentTokens(context);
  if (refreshed) process.stderr.write('The access token had expired; it was refreshed.\n');
  const url = `${context.settings.apiUrl}${path.startsWith('/') ? path : `/${path}`}`;
  let response: Response;
  try {
    response = await fetch(url, {
      headers: { authorization: `Bearer ${tokens.accessToken}`, accept: 'application/json' },
    });
  } catch (error) {
    const cause = error instanceof Error ? (error.cause as { code?: string } | undefined)?.code : undefined;
    throw new Error(
      `Could not reach the example API at ${url}${cause ? ` (${cause})` : ''}. Start it with: npm start -w @latchkey/example-api, or set EXAMPLE_API_URL.`,
    );
  }
  const text = await response.text();
  if (!response.ok) {
    const challenge = response.headers.get('www-authenticate');
    throw new Error(
      `GET ${url} answered ${response.status}${challenge ? ` (WWW-Authenticate: ${challenge})` : ''}: ${text.slice(0, 300)}`,
    );
  }
  if (options.json || !isMessages(text)) {
    process.stdout.write(`${text}\n`);
    return;
  }
  const body = JSON.parse(text) as MessagesResponse;
  process.stdout.write(`GET ${url} as ${body.user}:\n`);
  for (const message of body.messages) process.stdout.write(`  [${message.from}] ${message.text}\n`);
}

function isMessages(text: string): boolean {
  try {
    const body = JSON.parse(text) as Partial<MessagesResponse>;
    return typeof body.user === 'string' && Array.isArray(body.messages);
  } catch {
    return false;
  }
}
