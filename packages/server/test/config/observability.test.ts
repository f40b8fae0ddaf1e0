// Issue 11: the metrics and log-format settings, their defaults, and a specific error naming each setting.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../../src/config/load.ts';
import { ConfigError } from '../../src/config/schema.ts';
import { chooseLogOutput } from '../../src/http/log-format.ts';

const SECRET = 'x'.repeat(48);
const load = (env: Record<string, string>) => loadConfig({ LATCHKEY_SECRET: SECRET, ...env }).config;

function refuses(env: Record<string, string>, setting: string, message: RegExp): void {
  assert.throws(
    () => load(env),
    (error: unknown) =>
      error instanceof ConfigError && error.setting === setting && message.test(error.message),
    JSON.stringify(env),
  );
}

describe('observability settings', () => {
  it('metrics: off by default; an address (IPv4, name, [IPv6]) and a token', () => {
    assert.deepEqual(load({}).metrics, { address: undefined, token: undefined });
    assert.deepEqual(load({ LATCHKEY_METRICS_ADDRESS: '127.0.0.1:9464' }).metrics.address, {
      host: '127.0.0.1',
      port: 9464,
    });
    assert.deepEqual(load({ LATCHKEY_METRICS_ADDRESS: 'localhost:0' }).metrics.address, {
      host: 'localhost',
      port: 0,
    });
    assert.deepEqual(load({ LATCHKEY_METRICS_ADDRESS: '[::1]:9464' }).metrics.address, {
      host: '::1',
      port: 9464,
    });
    assert.equal(load({ LATCHKEY_METRICS_TOKEN: 'a'.repeat(16) }).metrics.token, 'a'.repeat(16));
    assert.equal(load({ LATCHKEY_METRICS_TOKEN: '' }).metrics.token, undefined);
  });

  it('metrics: a bad address or a short token names the setting', () => {
    for (const address of ['9464', '127.0.0.1', '127.0.0.1:99999', 'http://127.0.0.1:9464', '::1:9464'])
      refuses(
        { LATCHKEY_METRICS_ADDRESS: address },
        'LATCHKEY_METRICS_ADDRESS',
        /is not host:port; use e\.g\. 127\.0\.0\.1:9464/,
      );
    refuses({ LATCHKEY_METRICS_TOKEN: 'short' }, 'LATCHKEY_METRICS_TOKEN', /at least 16 characters/);
  });

  it('LOG_FORMAT: json or pretty, else an error naming it', () => {
    assert.equal(load({}).logFormat, undefined);
    assert.equal(load({ LOG_FORMAT: 'pretty' }).logFormat, 'pretty');
    assert.equal(load({ LOG_FORMAT: 'JSON' }).logFormat, 'json');
    refuses({ LOG_FORMAT: 'text' }, 'LOG_FORMAT', /use json or pretty/);
  });

  it('log output: pretty on a terminal or when asked, when pino-pretty is installed; JSON otherwise', () => {
    const installed = (name: string) => `/somewhere/node_modules/${name}/index.js`;
    const missing = (name: string): string => {
      throw new Error(`Cannot find module '${name}'`);
    };
    assert.deepEqual(chooseLogOutput(undefined, false, installed), {});
    assert.deepEqual(chooseLogOutput('json', true, installed), {});
    assert.equal(chooseLogOutput(undefined, true, installed).transport?.target, installed('pino-pretty'));
    assert.equal(chooseLogOutput('pretty', false, installed).transport?.options['colorize'], false);
    assert.deepEqual(chooseLogOutput(undefined, true, missing), {});
    assert.match(
      chooseLogOutput('pretty', false, missing).warning ?? '',
      /needs pino-pretty .* logging JSON lines instead/,
    );
  });
});
