// Which hook URLs bpx may call: HTTPS, or plain HTTP to a loopback address, or plain HTTP when marked insecure.
import { isIP } from 'node:net';

/** localhost, 127.0.0.0/8 and ::1 (also in brackets, as URL.hostname spells IPv6). */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) === 6) return h === '::1' || h === '0:0:0:0:0:0:0:1' || /^::ffff:127\./.test(h);
  return false;
}

/** Parses and checks a hook URL; the thrown message names the rule broken, never the credentials. */
export function checkHookUrl(raw: string, insecure: boolean): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error('is not a valid URL');
  }
  if (url.protocol === 'https:') return url;
  if (url.protocol !== 'http:') throw new Error(`uses ${url.protocol} (only https: and http: are supported)`);
  if (isLoopbackHost(url.hostname) || insecure) return url;
  throw new Error(`uses plain http:// to the non-loopback host ${url.hostname}: use https://, or mark the extension insecure: true`);
}
