// @latchkey/client/node: what only Node can do for a native app: listen on a loopback port and open the
// system browser (RFC 8252). Everything else comes from '@latchkey/client'.

export {
  LoginTimeoutError,
  type LoopbackLoginOptions,
  type LoopbackLoginResult,
  loginWithLoopback,
} from './loopback-login.ts';
export { openSystemBrowser } from './open-browser.ts';
