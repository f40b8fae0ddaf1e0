import { createHash } from 'node:crypto';

/**
 * The console's own stylesheet, loaded after the hosted pages' one (ui/styles.ts): it reuses its colour
 * tokens, fields, buttons and alerts, and adds the app shell (sidebar, top bar), tables, tabs, badges and
 * form layouts. Served as an external immutable file because the CSP is `style-src 'self'`.
 */
export const consoleStylesheet: string = `
:root {
  --surface: #ffffff;
  --surface-2: #f7f8fa;
  --sidebar: #ffffff;
  --row-hover: #f5f6fb;
  --primary-soft: #eef0ff;
  --ok-bg: #ecfdf3;
  --ok-border: #a6e4c3;
  --ok-text: #05603a;
  --warn: #b54708;
  --warn-bg: #fffaeb;
  --warn-border: #fedf89;
  --info-bg: #eff4ff;
  --info-border: #b2ccff;
  --info-text: #1d3c9c;
  --neutral-bg: #f2f4f7;
  --neutral-text: #344054;
}
@media (prefers-color-scheme: dark) {
  :root {
    --surface: #161a22;
    --surface-2: #11141b;
    --sidebar: #12151c;
    --row-hover: #1b202b;
    --primary-soft: #23264a;
    --ok-bg: #0d2619;
    --ok-border: #1f5e3d;
    --ok-text: #a6f4c5;
    --warn: #fdb022;
    --warn-bg: #2a1f0b;
    --warn-border: #6b4a12;
    --info-bg: #131d3b;
    --info-border: #2c4385;
    --info-text: #b2ccff;
    --neutral-bg: #232835;
    --neutral-text: #d0d5dd;
  }
}
body.console { background: var(--bg); font-size: 15px; }
.skip-link {
  position: absolute; left: 12px; top: -48px; z-index: 10; padding: 8px 14px;
  color: var(--on-primary); background: var(--primary); border-radius: 8px; font-weight: 600;
}
.skip-link:focus { top: 12px; }
.shell { display: grid; grid-template-columns: 264px minmax(0, 1fr); min-height: 100vh; }
.sidebar { background: var(--sidebar); border-right: 1px solid var(--border); }
.sidebar-inner {
  position: sticky; top: 0; display: flex; flex-direction: column; gap: 24px; height: 100vh;
  padding: 20px 14px; overflow-y: auto;
}
.sidebar .brand { margin: 4px 10px 0; font-size: 1.0625rem; color: var(--text); text-decoration: none; }
.sidebar .brand small {
  margin-left: 2px; padding: 1px 7px; font-size: 0.6875rem; font-weight: 650; letter-spacing: 0.04em;
  text-transform: uppercase; color: var(--primary); background: var(--primary-soft); border-radius: 999px;
}
.nav { display: grid; gap: 2px; margin: 0; padding: 0; list-style: none; }
.nav-label {
  margin: 0 12px 6px; color: var(--muted); font-size: 0.75rem; font-weight: 650;
  letter-spacing: 0.05em; text-transform: uppercase;
}
.nav a {
  display: flex; align-items: center; gap: 10px; padding: 8px 12px; color: var(--muted);
  font-size: 0.9375rem; font-weight: 550; white-space: nowrap; text-decoration: none; border-radius: 8px;
}
.nav a:hover { color: var(--text); background: var(--row-hover); }
.nav a[aria-current="page"] { color: var(--primary); background: var(--primary-soft); }
.icon {
  width: 18px; height: 18px; flex: none; fill: none; stroke: currentColor; stroke-width: 2;
  stroke-linecap: round; stroke-linejoin: round;
}
.mobile-nav { display: none; }
.mobile-nav > summary {
  display: inline-flex; align-items: center; gap: 8px; min-height: 40px; padding: 8px 12px;
  font-weight: 600; color: var(--text); list-style: none; cursor: pointer;
  border: 1px solid var(--border); border-radius: 8px; background: var(--surface);
}
.mobile-nav > summary::-webkit-details-marker { display: none; }
.mobile-nav[open] > summary { color: var(--primary); background: var(--primary-soft); }
.sidebar-footer { margin-top: auto; padding: 12px; color: var(--muted); font-size: 0.8125rem; }
.main-col { display: flex; flex-direction: column; min-width: 0; }
.topbar {
  display: flex; align-items: center; justify-content: flex-end; gap: 16px; min-height: 60px;
  padding: 10px 32px; background: var(--surface); border-bottom: 1px solid var(--border);
}
.who { display: flex; align-items: center; gap: 10px; min-width: 0; }
.avatar {
  display: inline-grid; place-items: center; width: 32px; height: 32px; flex: none; border-radius: 50%;
  color: var(--primary); background: var(--primary-soft); font-size: 0.8125rem; font-weight: 700;
}
.who-name { font-weight: 600; line-height: 1.2; }
.who-mail { color: var(--muted); font-size: 0.8125rem; line-height: 1.2; }
.content { width: 100%; max-width: 1180px; padding: 28px 32px 64px; }
:where(.console) a { color: var(--primary); }
.console a:focus-visible, .console button:focus-visible, .console summary:focus-visible {
  outline: 3px solid var(--focus); outline-offset: 2px; border-radius: 6px;
}
.breadcrumb { display: flex; gap: 6px; margin: 0 0 8px; padding: 0; list-style: none; color: var(--muted); font-size: 0.875rem; }
.breadcrumb li + li::before { content: "/"; margin-right: 6px; color: var(--field-border); }
.breadcrumb a { color: var(--muted); text-decoration: none; }
.breadcrumb a:hover { color: var(--text); text-decoration: underline; }
.page-header { display: flex; align-items: flex-start; justify-content: space-between; gap: 16px; margin-bottom: 24px; }
.page-header h1 { margin: 0; font-size: 1.625rem; display: flex; align-items: center; gap: 12px; flex-wrap: wrap; }
.page-header p { margin: 6px 0 0; color: var(--muted); max-width: 70ch; }
.page-actions { display: flex; gap: 8px; flex-wrap: wrap; flex: none; }
.console .button {
  width: auto; min-height: 38px; margin-top: 0; padding: 8px 14px; gap: 8px; font-size: 0.9375rem;
  text-decoration: none; white-space: nowrap;
}
.console .button .icon { width: 16px; height: 16px; }
.console .button-secondary { color: var(--text); background: var(--surface); border: 1px solid var(--border); }
.console .button-secondary:hover { background: var(--row-hover); }
.button-danger { color: #fff; background: var(--danger); }
.console .button-danger:hover { background: var(--danger-text); }
@media (prefers-color-scheme: dark) { .button-danger { color: #1a0b0a; } }
.button-small { min-height: 32px; padding: 4px 10px; font-size: 0.875rem; }
.button-block { width: 100%; }
.link-button {
  padding: 0; font: inherit; color: var(--primary); background: none; border: 0; cursor: pointer; text-decoration: underline;
}
.panel {
  overflow: hidden; margin-bottom: 20px; background: var(--surface); border: 1px solid var(--border); border-radius: 12px;
  box-shadow: 0 1px 2px rgb(16 24 40 / 5%);
}
.panel-header { padding: 18px 22px 0; }
.panel-header h2 { margin: 0; font-size: 1.0625rem; font-weight: 650; }
.panel-header p { margin: 4px 0 0; color: var(--muted); font-size: 0.875rem; }
.panel-header-flush { padding-bottom: 16px; }
.panel-body { padding: 18px 22px 22px; }
.panel-narrow { max-width: 760px; }
.panel-footer {
  display: flex; justify-content: flex-end; gap: 8px; padding: 14px 22px; background: var(--surface-2);
  border-top: 1px solid var(--border); border-radius: 0 0 12px 12px;
}
.panel-footer > span:first-child { margin-right: auto; align-self: center; }
.panel-danger { border-color: var(--danger-border); }
.panel-danger .panel-header h2 { color: var(--danger); }
.danger-row { display: flex; align-items: center; justify-content: space-between; gap: 16px; padding: 14px 0; }
.danger-row + .danger-row { border-top: 1px solid var(--border); }
.danger-row p { margin: 2px 0 0; color: var(--muted); font-size: 0.875rem; }
.table-wrap { overflow-x: auto; }
.table { width: 100%; border-collapse: collapse; font-size: 0.9375rem; }
.table th {
  padding: 10px 16px; color: var(--muted); font-size: 0.75rem; font-weight: 650; letter-spacing: 0.04em;
  text-align: left; text-transform: uppercase; background: var(--surface-2); border-bottom: 1px solid var(--border);
}
.table td { padding: 12px 16px; vertical-align: middle; border-bottom: 1px solid var(--border); }
.table tr:last-child td { border-bottom: 0; }
.table tbody tr:hover td { background: var(--row-hover); }
.table .primary-cell a { font-weight: 600; text-decoration: none; color: var(--text); }
.table .primary-cell a:hover { color: var(--primary); text-decoration: underline; }
.table .sub { display: block; color: var(--muted); font-size: 0.8125rem; }
.table-compact td { padding: 9px 16px; }
.nowrap { white-space: nowrap; }
.badge {
  display: inline-flex; align-items: center; gap: 6px; padding: 2px 9px; font-size: 0.75rem; font-weight: 650;
  line-height: 1.6; border-radius: 999px; border: 1px solid transparent; white-space: nowrap;
}
.badge::before { content: ""; width: 6px; height: 6px; border-radius: 50%; background: currentColor; }
.badge-plain::before { display: none; }
.badge-success { color: var(--ok-text); background: var(--ok-bg); border-color: var(--ok-border); }
.badge-danger { color: var(--danger-text); background: var(--danger-bg); border-color: var(--danger-border); }
.badge-warning { color: var(--warn); background: var(--warn-bg); border-color: var(--warn-border); }
.badge-info { color: var(--info-text); background: var(--info-bg); border-color: var(--info-border); }
.badge-neutral { color: var(--neutral-text); background: var(--neutral-bg); border-color: var(--border); }
.tabs { display: flex; gap: 4px; margin: -8px 0 24px; border-bottom: 1px solid var(--border); overflow-x: auto; }
.tabs a {
  padding: 10px 14px; color: var(--muted); font-weight: 600; text-decoration: none; white-space: nowrap;
  border-bottom: 2px solid transparent; margin-bottom: -1px;
}
.tabs a:hover { color: var(--text); }
.tabs a[aria-current="page"] { color: var(--primary); border-bottom-color: var(--primary); }
.form-grid { display: grid; gap: 20px; }
.form-grid > .notice { margin: 0; }
.form-row { display: grid; grid-template-columns: 220px minmax(0, 1fr); gap: 8px 28px; }
.form-row > .label-col label, .form-row > .label-col .label { margin-bottom: 2px; }
.form-row > .label-col .hint { margin: 0; }
.form-row > div:last-child { max-width: 680px; }
.console .field { margin-bottom: 0; }
.console textarea, .console select, .console input[type="number"], .console input[type="search"],
.console input[type="datetime-local"] {
  display: block; width: 100%; min-height: 40px; padding: 8px 12px; font: inherit; color: var(--text);
  background: var(--field); border: 1px solid var(--field-border); border-radius: 8px;
}
.console input[type="text"], .console input[type="password"], .console input[type="email"] { min-height: 40px; padding: 8px 12px; }
.console textarea { min-height: 96px; font-family: var(--mono); font-size: 0.875rem; line-height: 1.6; resize: vertical; }
.console textarea:focus, .console select:focus, .console input:focus {
  outline: 2px solid var(--focus); outline-offset: 1px; border-color: var(--focus);
}
.console textarea[aria-invalid="true"], .console select[aria-invalid="true"] { border-color: var(--danger); }
.input-narrow { max-width: 160px; }
.hint { margin: 6px 0 0; color: var(--muted); font-size: 0.8125rem; }
.label { display: block; margin-bottom: 6px; font-size: 0.875rem; font-weight: 600; }
.field-error {
  display: flex; gap: 6px; margin: 6px 0 0; color: var(--danger); font-size: 0.875rem; font-weight: 550;
}
.field-error .icon { width: 16px; height: 16px; margin-top: 2px; }
.field-error code { overflow-wrap: anywhere; }
.error-list { margin: 6px 0 0; padding: 0; list-style: none; display: grid; gap: 4px; }
.checks { display: grid; gap: 10px; min-width: 0; margin: 0; padding: 0; border: 0; }
.check { display: flex; align-items: flex-start; gap: 10px; font-weight: 500; font-size: 0.9375rem; margin: 0; }
.check input { width: 18px; height: 18px; margin: 2px 0 0; accent-color: var(--primary); flex: none; }
.check small { display: block; color: var(--muted); font-size: 0.8125rem; font-weight: 400; }
.type-cards { display: grid; grid-template-columns: repeat(3, minmax(0, 1fr)); gap: 16px; margin: 0; padding: 0; border: 0; }
.type-card { position: relative; display: block; margin: 0; cursor: pointer; }
.type-card input { position: absolute; opacity: 0; width: 1px; height: 1px; }
.type-card-body {
  display: flex; flex-direction: column; gap: 8px; height: 100%; padding: 20px; background: var(--surface);
  border: 1.5px solid var(--border); border-radius: 12px; transition: border-color 0.15s, box-shadow 0.15s;
}
.type-card:hover .type-card-body { border-color: var(--field-border); }
.type-card input:checked + .type-card-body {
  border-color: var(--primary); box-shadow: 0 0 0 3px var(--primary-soft);
}
.type-card input:focus-visible + .type-card-body { outline: 3px solid var(--focus); outline-offset: 2px; }
.type-card-icon {
  display: grid; place-items: center; width: 40px; height: 40px; color: var(--primary);
  background: var(--primary-soft); border-radius: 10px;
}
.type-card-icon svg { width: 22px; height: 22px; }
.type-card-title { font-weight: 650; font-size: 1rem; }
.type-card-text { color: var(--muted); font-size: 0.875rem; font-weight: 400; }
.type-card-meta { margin-top: auto; color: var(--muted); font-size: 0.8125rem; font-weight: 400; }
.steps { display: flex; gap: 8px; margin: 0 0 20px; padding: 0; list-style: none; font-size: 0.875rem; color: var(--muted); }
.steps li { display: flex; align-items: center; gap: 8px; }
.steps li + li::before { content: ""; width: 24px; height: 1px; background: var(--border); }
.step-num {
  display: inline-grid; place-items: center; width: 22px; height: 22px; border-radius: 50%;
  font-size: 0.75rem; font-weight: 700; border: 1px solid var(--field-border);
}
.steps [aria-current="step"] { color: var(--text); font-weight: 600; }
.steps [aria-current="step"] .step-num { color: var(--on-primary); background: var(--primary); border-color: var(--primary); }
.steps .done .step-num { color: var(--ok-text); background: var(--ok-bg); border-color: var(--ok-border); }
.copy-field { display: flex; gap: 8px; align-items: stretch; }
.copy-field input {
  font-family: var(--mono) !important; font-size: 0.875rem !important; background: var(--surface-2) !important;
}
.copy-button[hidden] { display: none; }
.notice {
  display: flex; gap: 10px; align-items: flex-start; margin: 0 0 20px; padding: 12px 14px; border-radius: 10px;
  border: 1px solid; font-size: 0.9375rem;
}
.notice .icon { margin-top: 2px; }
.notice p { margin: 0; }
.notice p + p { margin-top: 4px; }
.notice-success { color: var(--ok-text); background: var(--ok-bg); border-color: var(--ok-border); }
.notice-warning { color: var(--warn); background: var(--warn-bg); border-color: var(--warn-border); }
.notice-danger { color: var(--danger-text); background: var(--danger-bg); border-color: var(--danger-border); }
.notice-info { color: var(--info-text); background: var(--info-bg); border-color: var(--info-border); }
.notice strong { font-weight: 650; }
.notice a { color: inherit; font-weight: 600; }
.secret-box { padding: 16px; margin-top: 12px; background: var(--surface); border: 1px dashed var(--warn-border); border-radius: 10px; }
.kv { display: grid; grid-template-columns: 200px minmax(0, 1fr); gap: 12px 24px; margin: 0; }
.kv dt { color: var(--muted); font-size: 0.875rem; font-weight: 600; }
.kv dd { margin: 0; min-width: 0; overflow-wrap: anywhere; }
.uri-chips { display: flex; flex-wrap: wrap; gap: 6px; margin: 0; padding: 0; list-style: none; }
.chip {
  display: inline-block; padding: 2px 8px; font-family: var(--mono); font-size: 0.8125rem;
  background: var(--surface-2); border: 1px solid var(--border); border-radius: 6px; overflow-wrap: anywhere;
}
.toolbar {
  display: flex; flex-wrap: wrap; align-items: flex-end; gap: 12px; margin-bottom: 16px;
}
.toolbar .field { min-width: 160px; flex: 1 1 160px; }
.toolbar .field-wide { flex: 2 1 260px; }
.toolbar label { font-size: 0.8125rem; }
.toolbar input, .toolbar select { height: 40px; min-height: 40px; }
.toolbar-actions { display: flex; gap: 8px; }
.empty { padding: 48px 24px; text-align: center; color: var(--muted); }
.empty h2 { margin: 12px 0 4px; color: var(--text); font-size: 1.0625rem; }
.empty p { margin: 0 auto 16px; max-width: 46ch; }
.empty .empty-icon {
  display: inline-grid; place-items: center; width: 48px; height: 48px; color: var(--primary);
  background: var(--primary-soft); border-radius: 12px;
}
.empty .empty-icon svg { width: 24px; height: 24px; }
.log-list { margin: 0; padding: 0; list-style: none; }
.log-entry { display: grid; grid-template-columns: 150px minmax(0, 1fr); gap: 4px 20px; padding: 14px 20px; border-bottom: 1px solid var(--border); }
.log-entry:last-child { border-bottom: 0; }
.log-time { color: var(--muted); font-size: 0.8125rem; font-variant-numeric: tabular-nums; line-height: 1.5; }
.log-time strong { display: block; color: var(--text); font-size: 0.875rem; font-weight: 600; }
.log-head { display: flex; align-items: center; gap: 8px; flex-wrap: wrap; }
.log-title { font-weight: 650; }
.log-type { color: var(--muted); font-family: var(--mono); font-size: 0.75rem; }
.log-reason { margin: 4px 0 0; overflow-wrap: anywhere; }
.log-entry.failure .log-reason { color: var(--danger-text); }
.log-meta { display: flex; flex-wrap: wrap; gap: 4px 16px; margin: 6px 0 0; padding: 0; list-style: none; color: var(--muted); font-size: 0.8125rem; }
.log-meta a { color: var(--muted); }
.log-meta a:hover { color: var(--primary); }
.pager { display: flex; justify-content: space-between; align-items: center; gap: 12px; padding: 14px 20px; border-top: 1px solid var(--border); color: var(--muted); font-size: 0.875rem; }
.stack { display: grid; gap: 20px; }
.stack > .panel, .stack > form > .panel { margin-bottom: 0; }
.two-col { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 20px; align-items: start; }
.inline-form { display: inline; }
.mono { font-family: var(--mono); }
.muted { color: var(--muted); }
.small { font-size: 0.8125rem; }
.auth-note { margin: 20px 0 0; color: var(--muted); font-size: 0.875rem; text-align: center; }
.card .button + .auth-note { margin-top: 16px; }
details.reauth summary { cursor: pointer; list-style: none; }
details.reauth summary::-webkit-details-marker { display: none; }
.reauth-body { display: grid; gap: 12px; margin-top: 14px; padding: 16px; background: var(--surface-2); border: 1px solid var(--border); border-radius: 10px; }
@media (max-width: 980px) {
  .type-cards { grid-template-columns: 1fr; }
  .two-col { grid-template-columns: 1fr; }
  .form-row { grid-template-columns: 1fr; }
  .kv { grid-template-columns: 1fr; gap: 2px 0; }
  .kv dd { margin-bottom: 10px; }
}
@media (max-width: 860px) {
  .shell { grid-template-columns: minmax(0, 1fr); grid-template-rows: auto 1fr; }
  .sidebar { min-width: 0; border-right: 0; border-bottom: 1px solid var(--border); }
  .sidebar-inner {
    position: static; height: auto; flex-direction: row; flex-wrap: wrap; align-items: center;
    justify-content: space-between; gap: 8px; padding: 10px 12px; overflow: visible;
  }
  .sidebar .brand { margin: 0 4px; }
  .desktop-nav, .sidebar-footer { display: none; }
  /* Issue 12: every item stays reachable behind the menu button, one per line, nothing cut off. */
  .mobile-nav { display: block; }
  .mobile-nav[open] { flex-basis: 100%; }
  .mobile-nav[open] > summary { margin-left: auto; display: flex; width: fit-content; }
  .mobile-nav nav { margin-top: 8px; }
  .mobile-nav .nav a { padding: 10px 12px; white-space: normal; }
  .topbar { padding: 10px 16px; }
  .content { padding: 20px 16px 48px; }
  .page-header { flex-direction: column; }
  .log-entry { grid-template-columns: 1fr; padding: 12px 16px; }
  .who-mail { display: none; }
}
@media (max-width: 640px) {
  /* Tables keep every column and scroll inside their panel; the page itself never scrolls sideways. */
  .table th, .table td { white-space: nowrap; }
  .table td.primary-cell { white-space: normal; min-width: 10rem; }
  .topbar { gap: 10px; }
  .who { flex: 1 1 auto; }
  .who-name { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
}
`;

export const consoleStylesheetPath: string = `/console/assets/console-${createHash('sha256').update(consoleStylesheet).digest('hex').slice(0, 10)}.css`;
