import { isIPv6 } from 'node:net';
import type { PiiRule } from './rule.js';

/**
 * IP addresses: an address identifies a household or a device (GDPR recital 30), so every one is redacted, private
 * ranges included (they still identify a machine inside a company).
 *
 * IPv4: four dotted octets 0-255, not part of a longer dotted run, so `v1.2.3` and `10.0.19041.1` stay; a bare
 * four-part version number is indistinguishable and is redacted. IPv6: a run of hex groups and colons (with an
 * optional embedded IPv4 tail) that Node's own parser accepts as an address, so times (`12:34:56`), MAC addresses
 * and `std::vector` stay; `::` alone is not an address anyone logs.
 */
const octet = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';

export const ipv4Rule: PiiRule = {
  kind: 'ip',
  pattern: new RegExp(`(?<![\\w.])${octet}(?:\\.${octet}){3}(?![\\w]|\\.\\d)`, 'g'),
  hint: '[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}',
};

export const ipv6Rule: PiiRule = {
  kind: 'ip',
  pattern: /(?<![\w:.])(?:[0-9A-Fa-f]{1,4}|:)?(?::[0-9A-Fa-f]{0,4}){2,7}(?:(?<=:)(?:\d{1,3}\.){3}\d{1,3})?(?![\w:]|\.\d)/g,
  accept: (match) => /[0-9A-Fa-f]/.test(match) && isIPv6(match),
  hint: '[0-9A-Fa-f]*:[0-9A-Fa-f]*:[0-9A-Fa-f]*',
};
