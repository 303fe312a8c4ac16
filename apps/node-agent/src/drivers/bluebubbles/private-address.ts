import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';

// Loopback, private (RFC 1918), CGNAT, link-local (incl. cloud metadata 169.254.169.254),
// unspecified and multicast/reserved ranges: an attachment URL from a request must not make
// the Mac fetch something on its own network and send it out as a message.
const V4_BLOCKED: Array<[number, number]> = [
  [0x00000000, 8],
  [0x0a000000, 8],
  [0x64400000, 10],
  [0x7f000000, 8],
  [0xa9fe0000, 16],
  [0xac100000, 12],
  [0xc0a80000, 16],
  [0xe0000000, 3],
];

function v4Blocked(address: string): boolean {
  const n = address.split('.').reduce((acc, part) => (acc << 8) + Number(part), 0) >>> 0;
  return V4_BLOCKED.some(([base, bits]) => (n & (bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0)) >>> 0 === base);
}

function v6Blocked(address: string): boolean {
  const a = address.toLowerCase();
  if (a === '::' || a === '::1') return true;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(a);
  if (mapped) return v4Blocked(mapped[1]!);
  // fc00::/7 unique local, fe80::/10 link-local, ff00::/8 multicast
  return /^f[cd]/.test(a) || /^fe[89ab]/.test(a) || a.startsWith('ff');
}

export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return v4Blocked(address);
  if (family === 6) return v6Blocked(address);
  return true;
}

/**
 * Whether `hostname` is or resolves to a private, loopback or link-local address. Every
 * address it resolves to is checked (a name with one public and one private record is refused).
 */
export async function resolvesToPrivateAddress(hostname: string): Promise<boolean> {
  const bare = hostname.replace(/^\[|\]$/g, '');
  if (isIP(bare)) return isPrivateAddress(bare);
  const addresses = await lookup(bare, { all: true, verbatim: true });
  return addresses.length === 0 || addresses.some(({ address }) => isPrivateAddress(address));
}
