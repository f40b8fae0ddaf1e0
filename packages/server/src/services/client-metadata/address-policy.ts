// Which addresses a metadata-document fetch may reach (draft-ietf-oauth-client-id-metadata-document §6.5,
// server-side request forgery): global unicast only. ipaddr.js classifies; anything it does not call
// `unicast` (private, loopback, link-local, unique-local, multicast, unspecified, carrier-grade NAT,
// reserved, 6to4/Teredo/NAT64 forms that can embed a private IPv4) is refused.
import ipaddr from 'ipaddr.js';

/** Undefined when `address` may be fetched from; otherwise the kind of address it is, for the error. */
export function forbiddenAddressKind(address: string): string | undefined {
  if (!ipaddr.isValid(address)) return 'not an IP address';
  // process(): an IPv4-mapped IPv6 address (::ffff:10.0.0.1) is judged as the IPv4 address it carries.
  const range = ipaddr.process(address).range();
  return range === 'unicast' ? undefined : range;
}
