import { isIP } from 'node:net';

/** Which endpoint addresses this deployment may send to. */
export interface EndpointUrlPolicy {
  /** Loopback endpoints, over plain HTTP too (local runs and tests). */
  allowLoopback: boolean;
  /** Private, link-local and other non-public ranges (development only). */
  allowPrivate: boolean;
}

export type AddressClass =
  'public' | 'loopback' | 'private' | 'link-local' | 'unspecified' | 'multicast' | 'reserved';

export type UrlDecision = { allowed: true } | { allowed: false; reason: string };

export const MAX_ENDPOINT_URL_LENGTH = 2000;

function ipv4Octets(address: string): number[] {
  return address.split('.').map(Number);
}

function classifyIpv4(address: string): AddressClass {
  const [a = 0, b = 0] = ipv4Octets(address);
  if (a === 127) return 'loopback';
  if (a === 0) return 'unspecified';
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return 'private';
  // Carrier-grade NAT space reaches other customers' networks, never a hospital's public host.
  if (a === 100 && b >= 64 && b <= 127) return 'private';
  if (a === 169 && b === 254) return 'link-local';
  if (a >= 224 && a <= 239) return 'multicast';
  if (a >= 240) return 'reserved';
  return 'public';
}

/** IPv6 groups as numbers, `::` expanded; an embedded IPv4 tail becomes its two groups. */
function ipv6Groups(address: string): number[] {
  let text = address.split('%')[0] ?? '';
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (tail?.[1] !== undefined) {
    const [a = 0, b = 0, c = 0, d = 0] = ipv4Octets(tail[1]);
    text = `${text.slice(0, -tail[1].length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', rest] = text.split('::');
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((g) => parseInt(g, 16)));
  const left = parse(head);
  const right = rest === undefined ? [] : parse(rest);
  const zeros = rest === undefined ? [] : new Array<number>(8 - left.length - right.length).fill(0);
  return [...left, ...zeros, ...right];
}

function classifyIpv6(address: string): AddressClass {
  const groups = ipv6Groups(address);
  const [g0 = 0, , , , , g5 = 0, g6 = 0, g7 = 0] = groups;
  const allZeroUpTo = (n: number) => groups.slice(0, n).every((g) => g === 0);
  if (allZeroUpTo(7) && g7 === 1) return 'loopback';
  if (allZeroUpTo(8)) return 'unspecified';
  // An IPv4-mapped address (::ffff:a.b.c.d) is the IPv4 address it maps, wherever it points.
  if (allZeroUpTo(5) && g5 === 0xffff) {
    return classifyIpv4(`${g6 >> 8}.${g6 & 255}.${g7 >> 8}.${g7 & 255}`);
  }
  if ((g0 & 0xfe00) === 0xfc00) return 'private';
  if ((g0 & 0xffc0) === 0xfe80) return 'link-local';
  if ((g0 & 0xff00) === 0xff00) return 'multicast';
  return 'public';
}

/** The kind of network an IP address belongs to; anything that is not an IP is `reserved`. */
export function classifyAddress(address: string): AddressClass {
  switch (isIP(address)) {
    case 4:
      return classifyIpv4(address);
    case 6:
      return classifyIpv6(address);
    default:
      return 'reserved';
  }
}

/**
 * Whether a webhook may be sent to an address. Asked at registration for every address the
 * host resolves to, and again for the address a connection actually reached: a name can be
 * re-pointed at an internal host between the two.
 */
export function decideAddress(address: string, policy: EndpointUrlPolicy): UrlDecision {
  const kind = classifyAddress(address);
  if (kind === 'public') return { allowed: true };
  if (kind === 'loopback' && (policy.allowLoopback || policy.allowPrivate))
    return { allowed: true };
  if ((kind === 'private' || kind === 'link-local') && policy.allowPrivate)
    return { allowed: true };
  return { allowed: false, reason: `${address} is a ${kind} address` };
}

export interface ParsedEndpointUrl {
  url: URL;
  /** The host without IPv6 brackets. */
  host: string;
  /** The host is already an IP address: no name to resolve. */
  literal: boolean;
}

/**
 * The URL's own rules, before any name is resolved: absolute, HTTPS (plain HTTP only to a
 * loopback host when loopback is allowed), no credentials in it.
 */
export function parseEndpointUrl(
  text: string,
  policy: EndpointUrlPolicy,
): { ok: true; endpoint: ParsedEndpointUrl } | { ok: false; reason: string } {
  if (text.length > MAX_ENDPOINT_URL_LENGTH) {
    return { ok: false, reason: `must be at most ${MAX_ENDPOINT_URL_LENGTH} characters` };
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, reason: 'must be an absolute URL' };
  }
  if (url.username !== '' || url.password !== '') {
    return { ok: false, reason: 'must not carry credentials' };
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const literal = isIP(host) !== 0;
  const loopbackHost = host === 'localhost' || (literal && classifyAddress(host) === 'loopback');
  if (url.protocol === 'http:') {
    if (!(loopbackHost && policy.allowLoopback)) return { ok: false, reason: 'must use https' };
  } else if (url.protocol !== 'https:') {
    return { ok: false, reason: 'must use https' };
  }
  if (literal) {
    const decision = decideAddress(host, policy);
    if (!decision.allowed) return { ok: false, reason: `refused: ${decision.reason}` };
  }
  return { ok: true, endpoint: { url, host, literal } };
}
