// CM-06: the metadata-document fetch reaches global unicast addresses only (draft-ietf-oauth-client-id-
// metadata-document §6.5), judged on every address the name resolves to, before connecting.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkClientIdUrl } from '../../src/oauth/client-metadata/client-id-url.ts';
import { forbiddenAddressKind } from '../../src/services/client-metadata/address-policy.ts';
import {
  DEFAULT_FETCH_LIMITS,
  fetchClientMetadataDocument,
} from '../../src/services/client-metadata/fetch-document.ts';

describe('client metadata fetch: address policy', () => {
  const refused: [string, string][] = [
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['192.168.1.1', 'private'],
    ['127.0.0.1', 'loopback'],
    ['127.8.9.10', 'loopback'],
    ['169.254.169.254', 'linkLocal'],
    ['0.0.0.0', 'unspecified'],
    ['100.64.0.1', 'carrierGradeNat'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1', 'linkLocal'],
    ['fc00::1', 'uniqueLocal'],
    ['fd12:3456::1', 'uniqueLocal'],
    ['ff02::1', 'multicast'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:169.254.169.254', 'linkLocal'],
    ['2002:0a00:0001::1', '6to4'],
  ];
  for (const [address, kind] of refused) {
    it(`CM-06 refuses ${address} (${kind})`, () => assert.equal(forbiddenAddressKind(address), kind));
  }
  for (const address of ['93.184.215.14', '1.1.1.1', '2606:4700:4700::1111', '::ffff:8.8.8.8']) {
    it(`CM-06 allows the global unicast address ${address}`, () =>
      assert.equal(forbiddenAddressKind(address), undefined));
  }

  it('CM-06 a name that resolves to a loopback address is refused before any connection', async () => {
    await assert.rejects(
      fetchClientMetadataDocument(new URL('https://localhost:9/client.json'), {
        ...DEFAULT_FETCH_LIMITS,
        allowHosts: [],
      }),
      /localhost resolves to (127\.0\.0\.1|::1), a loopback address, which is never fetched/,
    );
  });

  it('CM-06 IP literals are judged without DNS, in every spelling the URL parser accepts', async () => {
    for (const url of ['https://[::1]/c.json', 'https://10.0.0.1/c.json', 'https://[::ffff:a00:1]/c.json']) {
      await assert.rejects(
        fetchClientMetadataDocument(new URL(url), { ...DEFAULT_FETCH_LIMITS, allowHosts: [] }),
        /address, which is never fetched/,
        url,
      );
    }
    // Aliases such as 127.1 or 2130706433 are not canonical, so they never reach the fetch.
    assert.match(checkClientIdUrl('https://2130706433/c.json') ?? '', /canonical form/);
    assert.match(checkClientIdUrl('https://127.1/c.json') ?? '', /canonical form/);
    assert.match(checkClientIdUrl('https://EXAMPLE.com/c.json') ?? '', /canonical form/);
    assert.match(checkClientIdUrl('https://example.com/a/../c.json') ?? '', /\. or \.\. path segments/);
    assert.match(checkClientIdUrl('https://u:p@example.com/c.json') ?? '', /user information/);
    assert.equal(checkClientIdUrl('https://example.com/c.json?v=1'), undefined);
  });
});
