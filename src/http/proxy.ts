// HTTPS_PROXY / HTTP_PROXY / NO_PROXY as curl and most tools read them (lower case wins over upper case).
import { isIP } from 'node:net';

function pick(env: Readonly<Record<string, string | undefined>>, name: string): string | undefined {
  const v = env[name.toLowerCase()] ?? env[name.toUpperCase()];
  return v && v.trim() ? v.trim() : undefined;
}

/**
 * NO_PROXY entries: "*" (everything), "host" / ".host" / "*.host" (the host and its subdomains),
 * an IP, an IPv4 CIDR ("10.0.0.0/8"), each optionally with ":port". Example: "localhost,.corp.example,10.0.0.0/8".
 */
export function bypassesProxy(url: URL, noProxy: string | undefined): boolean {
  if (!noProxy) return false;
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  for (let entry of noProxy.split(/[\s,]+/)) {
    entry = entry.trim().toLowerCase();
    if (!entry) continue;
    if (entry === '*') return true;
    let entryPort: string | undefined;
    const m = /^(.*?):(\d+)$/.exec(entry);
    if (m && !entry.includes('::') && isIP(entry) !== 6) {
      entry = m[1];
      entryPort = m[2];
    }
    if (entryPort && entryPort !== port) continue;
    entry = entry.replace(/^\[|\]$/g, '');
    if (entry.includes('/') && isIP(host) === 4 && inCidr4(host, entry)) return true;
    const bare = entry.replace(/^\*?\./, '');
    if (host === bare || host.endsWith(`.${bare}`)) return true;
  }
  return false;
}

function ip4(s: string): number {
  return s.split('.').reduce((n, o) => n * 256 + Number(o), 0);
}

function inCidr4(host: string, cidr: string): boolean {
  const [base, bitsRaw] = cidr.split('/');
  const bits = Number(bitsRaw);
  if (isIP(base) !== 4 || !Number.isInteger(bits) || bits < 0 || bits > 32) return false;
  const size = 2 ** (32 - bits);
  return Math.floor(ip4(host) / size) === Math.floor(ip4(base) / size);
}

/** The proxy to use for a URL, or undefined for a direct connection. Throws on an unparsable proxy URL. */
export function proxyFor(url: URL, env: Readonly<Record<string, string | undefined>>): URL | undefined {
  const raw = url.protocol === 'https:' ? pick(env, 'https_proxy') : pick(env, 'http_proxy');
  if (!raw) return undefined;
  if (bypassesProxy(url, pick(env, 'no_proxy'))) return undefined;
  try {
    // "proxy.corp:3128" without a scheme is common in the wild: treat it as http://.
    const p = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`);
    if (p.protocol !== 'http:') throw new Error();
    return p;
  } catch {
    throw new Error(`the ${url.protocol === 'https:' ? 'HTTPS_PROXY' : 'HTTP_PROXY'} setting is not an http:// proxy URL`);
  }
}
