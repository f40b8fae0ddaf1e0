// Redirect URI rules (SECURITY-MATRIX rule 1, RU-02…RU-09) on the pure functions of oauth/redirect-uri.ts.
// The same inputs run against the HTTP endpoint in test/http/authorize-redirect-uri.test.ts.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  checkRedirectUriRegistration,
  describeRedirectUriMismatch,
  matchRedirectUri,
} from '../../src/oauth/redirect-uri.ts';

const WEB = ['https://app.example.com/cb', 'https://app.example.com/cb2?tenant=a'];
const NATIVE = ['com.example.app:/oauth2redirect', 'http://127.0.0.1/callback', 'http://[::1]/callback'];
const SPA = ['http://localhost:8080/callback'];
const exact = { loopbackAnyPort: false };
const anyPort = { loopbackAnyPort: true };

function assertNoMatch(requested: string, registered: string[], options: { loopbackAnyPort: boolean }): void {
  assert.equal(matchRedirectUri(requested, registered, options), undefined, requested);
}

describe('matchRedirectUri', () => {
  it('matches a registered URI exactly', () => {
    for (const uri of WEB) assert.equal(matchRedirectUri(uri, WEB, exact), uri);
    assert.equal(matchRedirectUri('com.example.app:/oauth2redirect', NATIVE, anyPort), NATIVE[0]);
  });

  describe('RU-02 byte-level variants of https://app.example.com/cb', () => {
    for (const variant of [
      'https://app.example.com/cb/',
      'https://app.example.com/cbx',
      'https://app.example.com/cb/x',
      'https://app.example.com/cb/../evil',
      'https://app.example.com/cb/..;/evil',
      'https://app.example.com/cb%2F..%2Fevil',
      'https://app.example.com/%2e%2e/cb',
      'https://app.example.com/%252e%252e/cb',
      'https://app.example.com/CB',
      'HTTPS://APP.EXAMPLE.COM/cb',
      'https://app.example.com:443/cb',
      'https://app.example.com/c%62',
      ' https://app.example.com/cb',
      'https://app.example.com/cb ',
    ]) {
      it(variant, () => assertNoMatch(variant, WEB, anyPort));
    }
  });

  describe('RU-03 authority confusion', () => {
    for (const variant of [
      'https://app.example.com@evil.example/cb',
      'https://app.example.com%40evil.example/cb',
      'https://a@b@evil.example/cb',
      'https://evil.example\\@app.example.com/cb',
      'https://evil.example#@app.example.com/cb',
      'https://evil.example?@app.example.com/cb',
    ]) {
      it(variant, () => assertNoMatch(variant, WEB, anyPort));
    }
  });

  describe('RU-04 host and wildcard abuse', () => {
    for (const variant of [
      'https://app.example.com.evil.example/cb',
      'https://evilapp.example.com/cb',
      'https://sub.app.example.com/cb',
    ]) {
      it(variant, () => assertNoMatch(variant, WEB, anyPort));
    }
    it('a registered-looking wildcard is a literal string, never a pattern', () => {
      assertNoMatch('https://app.example.com.evil.example/cb', ['https://app.example.com*'], anyPort);
      assertNoMatch('https://x.example.com/cb', ['https://*.example.com/cb'], anyPort);
    });
  });

  describe('RU-05 query and fragment', () => {
    it('https://app.example.com/cb2?tenant=a matches exactly', () => {
      assert.equal(matchRedirectUri('https://app.example.com/cb2?tenant=a', WEB, exact), WEB[1]);
    });
    for (const variant of [
      'https://app.example.com/cb2?tenant=b',
      'https://app.example.com/cb2?tenant=a&x=1',
      'https://app.example.com/cb2',
      'https://app.example.com/cb?x=1',
      'https://app.example.com/cb#',
      'https://app.example.com/cb#x',
    ]) {
      it(variant, () => assertNoMatch(variant, WEB, anyPort));
    }
  });

  describe('RU-06 loopback IP literals match on any port', () => {
    for (const [requested, registered] of [
      ['http://127.0.0.1:53219/callback', 'http://127.0.0.1/callback'],
      ['http://[::1]:61023/callback', 'http://[::1]/callback'],
      ['http://127.0.0.1/callback', 'http://127.0.0.1/callback'],
      ['http://[::1]/callback', 'http://[::1]/callback'],
      ['http://127.0.0.1:1/callback', 'http://127.0.0.1/callback'],
      ['http://127.0.0.1:65535/callback', 'http://127.0.0.1/callback'],
    ] as const) {
      it(requested, () => assert.equal(matchRedirectUri(requested, NATIVE, anyPort), registered));
    }
    it('a registered port is not pinned either (RFC 8252 §7.3)', () => {
      assert.equal(
        matchRedirectUri('http://127.0.0.1:9999/cb', ['http://127.0.0.1:5000/cb'], anyPort),
        'http://127.0.0.1:5000/cb',
      );
    });
    it('http://localhost:8080/callback matches spa-pub exactly', () => {
      assert.equal(matchRedirectUri('http://localhost:8080/callback', SPA, exact), SPA[0]);
    });
    it('without the per-client opt-in only the exact URI matches', () => {
      assertNoMatch('http://127.0.0.1:53219/callback', NATIVE, exact);
    });
  });

  describe('RU-07 loopback requests that differ in more than the port', () => {
    for (const variant of [
      'http://127.0.0.1:5000/callback?bar=foo',
      'http://127.0.0.1:5000/callback/x',
      'http://127.0.0.1:5000/Callback',
      'http://127.0.0.1:5000/callback/',
      'http://127.0.0.1:5000/callback#x',
      'https://127.0.0.1:5000/callback',
      'https://127.0.0.1/callback',
      'http://localhost:5000/callback',
      'http://localhost/callback',
      'http://127.0.0.1:0/callback',
      'http://127.0.0.1:65536/callback',
      'http://127.0.0.1:/callback',
      'http://127.0.0.1:5000:6000/callback',
    ]) {
      it(`native-pub ${variant}`, () => assertNoMatch(variant, NATIVE, anyPort));
    }
    for (const variant of [
      'http://localhost:8081/callback',
      'http://localhost/callback',
      'http://127.0.0.1:8080/callback',
      'http://LOCALHOST:8080/callback',
    ]) {
      it(`spa-pub ${variant}`, () => assertNoMatch(variant, SPA, exact));
    }
    it('localhost gets no port exception even with the opt-in', () => {
      assertNoMatch('http://localhost:8081/callback', SPA, anyPort);
    });
  });

  describe('RU-08 loopback look-alikes', () => {
    for (const variant of [
      'http://127.0.0.1.evil.example/callback',
      'http://localhost.evil.test/callback',
      'http://127.1/callback',
      'http://2130706433/callback',
      'http://0x7f.1/callback',
      'http://0177.0.0.1/callback',
      'http://[::ffff:127.0.0.1]/callback',
      'http://[0:0:0:0:0:0:0:1]/callback',
      'http://127.0.0.1@evil.example/callback',
      'http://evil.example@127.0.0.1/callback',
      'http://127.0.0.1:5000@evil.example/callback',
      'http://127.0.0.1%2eevil.example/callback',
    ]) {
      it(variant, () => assertNoMatch(variant, NATIVE, anyPort));
    }
  });
});

describe('checkRedirectUriRegistration', () => {
  describe('RU-04 wildcards are refused at registration', () => {
    for (const uri of ['https://*.example.com/cb', 'https://app.example.com*']) {
      it(uri, () => assert.match(checkRedirectUriRegistration(uri, 'web') ?? '', /wildcard/));
    }
  });

  describe('RU-05 a fragment is refused at registration', () => {
    for (const uri of ['https://app.example.com/cb#', 'https://app.example.com/cb#x']) {
      it(uri, () => assert.match(checkRedirectUriRegistration(uri, 'web') ?? '', /fragment/));
    }
  });

  describe('RU-08 loopback aliases are refused at registration', () => {
    for (const uri of [
      'http://127.1/callback',
      'http://2130706433/callback',
      'http://0x7f.1/callback',
      'http://[::ffff:127.0.0.1]/callback',
      'http://127.0.0.1@evil.example/callback',
      'http://localhost.evil.test/callback',
    ]) {
      it(uri, () => assert.notEqual(checkRedirectUriRegistration(uri, 'native'), undefined));
    }
  });

  describe('RU-09 scheme policy: refused', () => {
    for (const uri of [
      'http://app.example.com/cb',
      'http://localhost.evil.test/cb',
      'javascript:alert(1)',
      'JavaScript:alert(1)',
      'JAVASCRIPT:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'Data:text/html,x',
      'vbscript:msgbox(1)',
      'VBScript:msgbox(1)',
      'file:///etc/passwd',
      'FILE:///etc/passwd',
      '/cb',
      'cb',
      '//evil.example/cb',
      '',
      'https://app.example.com/c b',
      'https:/app.example.com/cb',
      'https://user@app.example.com/cb',
    ]) {
      for (const type of ['native', 'browser', 'web'] as const) {
        it(`${JSON.stringify(uri)} (${type})`, () => {
          assert.notEqual(checkRedirectUriRegistration(uri, type), undefined);
        });
      }
    }
    it('private-use schemes are for native apps only', () => {
      assert.notEqual(checkRedirectUriRegistration('com.example.app:/oauth2redirect', 'web'), undefined);
      assert.notEqual(checkRedirectUriRegistration('com.example.app:/oauth2redirect', 'browser'), undefined);
    });
  });

  describe('RU-09 scheme policy: accepted', () => {
    for (const [uri, type] of [
      ['http://localhost:8080/callback', 'browser'],
      ['http://localhost:8080/callback', 'native'],
      ['http://127.0.0.1/callback', 'native'],
      ['http://[::1]/callback', 'native'],
      ['com.example.app:/oauth2redirect', 'native'],
      ['com.example.app://callback', 'native'],
      ['https://app.example.com/cb', 'web'],
      ['https://app.example.com/cb2?tenant=a', 'web'],
    ] as const) {
      it(`${uri} (${type})`, () => assert.equal(checkRedirectUriRegistration(uri, type), undefined));
    }
  });
});

describe('RU-14 native apps: https, loopback http or a reverse-domain private-use scheme (RFC 8252 §7.1)', () => {
  describe('RU-14 refused, naming the rule', () => {
    for (const uri of [
      'ws://app.example.com/cb',
      'wss://app.example.com/cb',
      'ftp://app.example.com/cb',
      'chrome://settings',
      'jar:http://evil.example/a.jar!/cb',
      'myapp:/cb',
      'myapp://callback',
      'MyApp:/cb',
      'ms-settings:/cb',
      'intent://cb',
      'mailto:a@example.com',
      'tel:+1',
      'com.:/cb',
      'com..example:/cb',
      'com+example.app:/cb',
    ]) {
      it(uri, () => {
        const problem = checkRedirectUriRegistration(uri, 'native');
        assert.match(problem ?? 'accepted', /scheme; native apps may use https, .* reverse-domain form/);
      });
    }
  });
  describe('RU-14 accepted', () => {
    for (const uri of [
      'com.example.app:/oauth2redirect',
      'com.example.app://callback',
      'COM.EXAMPLE.APP:/cb',
      'io.my-company.app:/cb',
      'com.example.app2:/cb',
      'https://app.example.com/cb',
      'http://127.0.0.1/cb',
      'http://[::1]:8080/cb',
      'http://localhost:8080/cb',
    ]) {
      it(uri, () => assert.equal(checkRedirectUriRegistration(uri, 'native'), undefined));
    }
  });
});

describe('describeRedirectUriMismatch', () => {
  for (const [received, registered, expected] of [
    ['http://app.example.com/cb', WEB, /scheme differs/],
    ['com.example.app://oauth2redirect', NATIVE, /":\/" and the other ":\/\/"/],
    ['https://app.example.com/cb/', WEB, /trailing slash/],
    ['https://app.example.com/CB', WEB, /letter case/],
    ['http://localhost:8081/callback', SPA, /port differs: received 8081, registered 8080/],
    ['https://app.example.com/cb2?tenant=b', WEB, /query string differs/],
    ['https://evil.example/x', WEB, /character for character/],
  ] as const) {
    it(`explains ${received}`, () => {
      const result = describeRedirectUriMismatch(received, registered);
      assert.ok(result);
      assert.ok(registered.includes(result.closest));
      assert.match(result.difference, expected);
    });
  }
  it('has nothing to say without registered URIs', () => {
    assert.equal(describeRedirectUriMismatch('https://x.example/cb', []), undefined);
  });
});
