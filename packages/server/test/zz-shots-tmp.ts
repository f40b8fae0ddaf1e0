import { createUser } from '../src/accounts/users.ts';
import { startTestServer, TEST_PASSWORD } from './fixtures/test-server.ts';
import { freePort, launchChromium } from './e2e/browser.ts';

const port = await freePort();
const publicUrl = `http://localhost:${port}`;
const server = await startTestServer({ publicUrl, env: { PORT: String(port), HOST: '127.0.0.1' } });
await createUser(server.deps, { email: 'ada@example.com', name: 'Ada Admin', password: TEST_PASSWORD, isAdmin: true });
const browser = await launchChromium();
const width = Number(process.argv[2] ?? 1360);
const ctx = await browser.newContext({ viewport: { width, height: 900 } });
const page = await ctx.newPage();
await page.goto(`${publicUrl}/console/sign-in`);
await page.fill('#username', 'ada@example.com');
await page.fill('#password', TEST_PASSWORD);
await page.click('button[type=submit]');
await page.waitForURL(/apps/);
const paths = (process.argv[3] ?? '/console/apps').split(',').map((p) => p.replace('NATIVE', server.nativePub.client.clientId).replace('WEB', server.webConf.client.clientId).replace('USER', server.user.id));
for (const [i, path] of paths.entries()) {
  await page.goto(`${publicUrl}${path}`);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  console.log(path, 'overflow', overflow);
  await page.screenshot({ path: `/tmp/consolesmoke/shot-${width}-${i}.png`, fullPage: true });
}
await browser.close();
await server.close();
