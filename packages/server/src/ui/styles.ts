import { createHash } from 'node:crypto';

/**
 * The whole stylesheet of the hosted pages. It is served as an external, immutable-cached file at
 * `stylesheetPath` because the CSP is `style-src 'self'`: no inline styles anywhere.
 */
export const stylesheet: string = `
:root {
  color-scheme: light dark;
  --bg: #f3f4f7;
  --bg-accent: #e8eaf3;
  --card: #ffffff;
  --border: #dfe2e8;
  --text: #161a22;
  --muted: #555c6b;
  --primary: #4338ca;
  --primary-hover: #3730a3;
  --on-primary: #ffffff;
  --focus: #6366f1;
  --field: #ffffff;
  --field-border: #8a91a0;
  --code-bg: #f1f3f7;
  --danger: #b42318;
  --danger-text: #8a1c12;
  --danger-bg: #fef3f2;
  --danger-border: #f4b4ad;
  --ok: #067647;
  --shadow: 0 1px 2px rgb(16 24 40 / 6%), 0 12px 32px -8px rgb(16 24 40 / 14%);
  --radius: 14px;
  --font: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif;
  --mono: ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "Liberation Mono", monospace;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0d0f14;
    --bg-accent: #151a2b;
    --card: #161a22;
    --border: #2a303c;
    --text: #eceef2;
    --muted: #a3aab8;
    --primary: #8b93ff;
    --primary-hover: #a5abff;
    --on-primary: #0d0f14;
    --focus: #a5abff;
    --field: #0f1218;
    --field-border: #5d6576;
    --code-bg: #0f1218;
    --danger: #f97066;
    --danger-text: #fecdca;
    --danger-bg: #2b1515;
    --danger-border: #7a2a24;
    --ok: #47cd89;
    --shadow: 0 1px 2px rgb(0 0 0 / 40%), 0 12px 32px -8px rgb(0 0 0 / 60%);
  }
}
*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body {
  margin: 0;
  min-height: 100vh;
  font-family: var(--font);
  font-size: 16px;
  line-height: 1.5;
  color: var(--text);
  background: radial-gradient(ellipse 90% 55% at 50% 0%, var(--bg-accent), var(--bg) 70%) fixed, var(--bg);
  -webkit-font-smoothing: antialiased;
}
.page {
  display: flex;
  flex-direction: column;
  align-items: center;
  justify-content: center;
  min-height: 100vh;
  padding: 48px 16px 32px;
}
.app-logo { display: block; height: 48px; width: auto; max-width: 160px; margin: 0 auto 20px; object-fit: contain; }
.password-field { position: relative; }
.password-field input[type] { padding-right: 72px; }
.password-toggle {
  position: absolute;
  top: 50%;
  right: 6px;
  transform: translateY(-50%);
  min-height: 32px;
  padding: 4px 10px;
  font: inherit;
  font-size: 0.875rem;
  font-weight: 600;
  color: var(--primary);
  background: transparent;
  border: 0;
  border-radius: 6px;
  cursor: pointer;
}
.password-toggle[hidden] { display: none; }
.password-toggle:focus-visible { outline: 2px solid var(--focus); outline-offset: 1px; }
.forgot { margin: 20px 0 0; font-size: 0.9375rem; }
.forgot summary { color: var(--primary); font-weight: 600; cursor: pointer; width: fit-content; }
.forgot summary:focus-visible { outline: 2px solid var(--focus); outline-offset: 2px; border-radius: 4px; }
.forgot p { margin: 10px 0 0; color: var(--muted); }
.brand {
  display: flex;
  align-items: center;
  gap: 10px;
  margin-bottom: 24px;
  font-size: 1.25rem;
  font-weight: 700;
  letter-spacing: -0.01em;
}
.brand-mark { width: 32px; height: 32px; color: var(--primary); flex: none; }
.brand-mark-hole { fill: var(--card); }
.card {
  width: 100%;
  max-width: 400px;
  padding: 40px 36px 36px;
  background: var(--card);
  border: 1px solid var(--border);
  border-radius: var(--radius);
  box-shadow: var(--shadow);
}
.card-wide { max-width: 560px; }
.card > :first-child { margin-top: 0; }
.card > :last-child { margin-bottom: 0; }
h1 { margin: 0 0 6px; font-size: 1.5rem; line-height: 1.25; font-weight: 650; letter-spacing: -0.015em; }
.subtitle { margin: 0 0 28px; color: var(--muted); }
.subtitle strong { color: var(--text); font-weight: 600; }
.eyebrow { margin: 0 0 8px; color: var(--muted); font-size: 0.875rem; }
p { margin: 0 0 16px; }
.field { margin-bottom: 18px; }
label { display: block; margin-bottom: 6px; font-size: 0.875rem; font-weight: 600; }
input[type="text"], input[type="password"], input[type="email"] {
  display: block;
  width: 100%;
  min-height: 44px;
  padding: 10px 12px;
  font: inherit;
  color: var(--text);
  background: var(--field);
  border: 1px solid var(--field-border);
  border-radius: 8px;
  transition: border-color 0.15s;
}
input[aria-invalid="true"] { border-color: var(--danger); }
input:focus { outline: 2px solid var(--focus); outline-offset: 2px; border-color: var(--focus); }
.button {
  display: inline-flex;
  align-items: center;
  justify-content: center;
  width: 100%;
  min-height: 44px;
  margin-top: 8px;
  padding: 10px 16px;
  font: inherit;
  font-weight: 600;
  color: var(--on-primary);
  background: var(--primary);
  border: 0;
  border-radius: 8px;
  cursor: pointer;
  transition: background-color 0.15s;
}
.button:hover { background: var(--primary-hover); }
.button-secondary { color: var(--text); background: transparent; border: 1px solid var(--field-border); }
.button-secondary:hover { background: var(--field); }
.scope-list { margin: 0 0 20px; padding: 0; list-style: none; display: grid; gap: 10px; }
.scope-list li { padding: 10px 12px; border: 1px solid var(--field-border); border-radius: 8px; }
.scope-list code { display: block; margin-top: 2px; color: var(--muted); font-size: 0.8125rem; }
.actions { display: grid; gap: 8px; }
.button:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.alert {
  display: flex;
  gap: 10px;
  margin: 0 0 20px;
  padding: 12px 14px;
  font-size: 0.9375rem;
  color: var(--danger-text);
  background: var(--danger-bg);
  border: 1px solid var(--danger-border);
  border-radius: 8px;
}
.alert-icon { flex: none; width: 20px; height: 20px; margin-top: 1px; color: var(--danger); }
.footer {
  display: flex;
  align-items: center;
  gap: 6px;
  margin-top: 24px;
  color: var(--muted);
  font-size: 0.8125rem;
}
.footer svg { width: 14px; height: 14px; }
code, .mono { font-family: var(--mono); font-size: 0.875em; }
.error-code {
  display: inline-block;
  margin: 4px 0 16px;
  padding: 3px 8px;
  color: var(--danger-text);
  background: var(--danger-bg);
  border: 1px solid var(--danger-border);
  border-radius: 6px;
  overflow-wrap: anywhere;
}
.description { color: var(--text); }
.message { margin: 8px 0 0; color: var(--muted); }
.details {
  margin: 20px 0 0;
  padding: 16px;
  background: var(--code-bg);
  border: 1px solid var(--border);
  border-radius: 10px;
}
.details dl { margin: 0; }
.details dt { margin: 0 0 6px; color: var(--muted); font-size: 0.8125rem; font-weight: 650; }
.details dd { margin: 0 0 16px; font-size: 0.9375rem; }
.details dd:last-child { margin-bottom: 0; }
.uri {
  display: block;
  padding: 8px 10px;
  font-family: var(--mono);
  font-size: 0.8125rem;
  line-height: 1.5;
  background: var(--card);
  border: 1px solid var(--border);
  border-radius: 6px;
  overflow-wrap: anywhere;
  word-break: break-word;
}
.uri-received { border-left: 3px solid var(--danger); }
.uri-closest { border-left: 3px solid var(--ok); }
.uri-list { margin: 0; padding: 0; list-style: none; display: grid; gap: 6px; }
.hint { margin: 16px 0 0; color: var(--muted); font-size: 0.875rem; }
.reference { margin: 16px 0 0; color: var(--muted); font-size: 0.875rem; overflow-wrap: anywhere; }
.muted { color: var(--muted); }
.noscript { margin: 0 0 16px; color: var(--muted); }
.visually-hidden {
  position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px;
  overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0;
}
@media (max-width: 480px) {
  .page { padding: 24px 12px; }
  .card { padding: 28px 20px 24px; border-radius: 12px; }
  h1 { font-size: 1.375rem; }
}
@media (prefers-reduced-motion: reduce) {
  * { transition: none !important; }
}
`;

export const stylesheetPath: string = `/assets/latchkey-${createHash('sha256').update(stylesheet).digest('hex').slice(0, 10)}.css`;
