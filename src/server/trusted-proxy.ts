import { IncomingHttpHeaders } from 'node:http';
import { BlockList, isIP } from 'node:net';

/** What the gateway believes about the client, given who sent the request. */
export interface ClientOrigin {
  /** The client's address: the socket peer's, or from `X-Forwarded-For` past trusted proxies. */
  address: string;
  /** `https://host[:port]` as the client used it, only when a trusted proxy said so. */
  publicBaseUrl: string | undefined;
}

const SAFE_HOST = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;

/**
 * `TRUSTED_PROXIES`: the peers whose `X-Forwarded-*` headers are believed. A header from
 * anyone else is ignored: a client could write any address or host there.
 */
export class TrustedProxies {
  private readonly list = new BlockList();
  private readonly empty: boolean;

  constructor(entries: readonly string[]) {
    for (const entry of entries) {
      const [address, prefix] = entry.split('/');
      const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
      if (prefix === undefined) this.list.addAddress(address, family);
      else this.list.addSubnet(address, Number(prefix), family);
    }
    this.empty = entries.length === 0;
  }

  isTrusted(address: string): boolean {
    if (this.empty || !address) return false;
    const plain = unmapped(address);
    return this.list.check(plain, isIP(plain) === 6 ? 'ipv6' : 'ipv4');
  }

  /**
   * The client behind the proxies: `X-Forwarded-For` read from the right, skipping trusted hops,
   * stopping at the first untrusted one. Proto and host come from the nearest trusted proxy (the
   * last value), which must set them.
   */
  originOf(peerAddress: string | undefined, headers: IncomingHttpHeaders): ClientOrigin {
    const peer = peerAddress ?? 'unknown';
    if (!this.isTrusted(peer)) return { address: peer, publicBaseUrl: undefined };
    const hops = listOf(headers['x-forwarded-for']).filter((hop) => isIP(unmapped(hop)) !== 0);
    let address = peer;
    for (let index = hops.length - 1; index >= 0; index -= 1) {
      address = hops[index];
      if (!this.isTrusted(address)) break;
    }
    const proto = listOf(headers['x-forwarded-proto']).at(-1)?.toLowerCase();
    const host = listOf(headers['x-forwarded-host']).at(-1);
    const publicBaseUrl =
      (proto === 'http' || proto === 'https') && host && SAFE_HOST.test(host) ? `${proto}://${host}` : undefined;
    return { address, publicBaseUrl };
  }
}

function listOf(value: string | string[] | undefined): string[] {
  const joined = Array.isArray(value) ? value.join(',') : (value ?? '');
  return joined
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

/** `::ffff:10.0.0.1` (an IPv4 client on a dual-stack socket) is `10.0.0.1`. */
function unmapped(address: string): string {
  return address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}
