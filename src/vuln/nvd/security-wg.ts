// Node.js Security WG core advisories (https://github.com/nodejs/security-wg, vuln/core/<N>.json and index.json):
// `cve`, `vulnerable` and `patched` node-semver ranges for the node runtime. A version is affected when it satisfies
// `vulnerable` and not `patched`, on an environment the advisory names (`all`, or `linux`: a droplet runs on Linux).
import { semverRange } from '../versions/semver/range.ts';
import { compareSemver } from '../versions/semver/index.ts';
import type { VulnSeverity } from '../osv/severity.ts';
import type { NodeAdvisory } from './types.ts';

const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** true for a security-wg core advisory: `vulnerable` and `patched` strings (and `cve`, a list). */
export function looksLikeNodeAdvisory(v: unknown): v is Record<string, unknown> {
  return isObj(v) && typeof v.vulnerable === 'string' && typeof v.patched === 'string' && (v.cve === undefined || Array.isArray(v.cve));
}

/** vuln/core/index.json: `{"1": {...}, "2": {...}}`, every value an advisory. */
export function looksLikeNodeIndex(v: unknown): v is Record<string, Record<string, unknown>> {
  if (!isObj(v)) return false;
  const values = Object.values(v);
  return values.length > 0 && values.every(looksLikeNodeAdvisory) && Object.keys(v).every((k) => /^\d+$/.test(k));
}

const WORDS: Record<string, VulnSeverity> = { low: 'low', medium: 'medium', moderate: 'medium', high: 'high', critical: 'critical' };

/** One advisory (`n` is its number, from `<n>.json` or the index key); a string says why it cannot be used. */
export function readNodeAdvisory(raw: Record<string, unknown>, n: string): NodeAdvisory | string {
  const id = `NSWG-COR-${n}`;
  let vulnerable;
  let patched;
  try {
    vulnerable = semverRange(raw.vulnerable as string);
    // an empty `patched` ("no fix yet") patches nothing
    patched = (raw.patched as string).trim() ? semverRange(raw.patched as string) : () => false;
  } catch (e) {
    return `${id}: ${(e as Error).message}`;
  }
  const cves = (Array.isArray(raw.cve) ? raw.cve : [])
    .filter((c): c is string => typeof c === 'string' && /^CVE-\d{4}-\d+$/.test(c.trim()))
    .map((c) => c.trim());
  const env = Array.isArray(raw.affectedEnvironments) ? raw.affectedEnvironments.filter((e): e is string => typeof e === 'string') : [];
  const text = [raw.description, raw.overview].find((x): x is string => typeof x === 'string' && !!x.trim()) ?? '';
  const first = text.trim().split('\n')[0]!;
  return {
    id,
    cves,
    vulnerable,
    patched,
    patchedText: raw.patched as string,
    environments: env.length ? env.map((e) => e.toLowerCase()) : ['all'],
    severity:
      WORDS[
        String(raw.severity ?? '')
          .trim()
          .toLowerCase()
      ] ?? 'unknown',
    title: first.length > 200 ? `${first.slice(0, 197)}...` : first,
  };
}

/** true when the advisory applies on Linux (`all`, `linux`). */
export const onLinux = (a: NodeAdvisory): boolean => a.environments.some((e) => e === 'all' || e === 'linux');

/**
 * The version that fixes `version` by the `patched` ranges: the lowest `^X.Y.Z` / `>=X.Y.Z` above it in its own
 * major line, else the lowest above it at all (`^18.16.1 || ^20.3.1` for 20.2.0 → 20.3.1); none when no bound is above.
 */
export function fixedFor(a: NodeAdvisory, version: string): string[] {
  const bounds = [...a.patchedText.matchAll(/(?:\^|>=|~)\s*v?(\d+\.\d+\.\d+)/g)]
    .map((m) => m[1]!)
    .filter((b) => compareSemver(b, version) > 0);
  if (!bounds.length) return [];
  bounds.sort(compareSemver);
  const major = version.replace(/^v/, '').split('.')[0];
  return [bounds.find((b) => b.split('.')[0] === major) ?? bounds[0]!];
}

/** Whether node `version` is affected by the advisory on Linux. */
export function nodeAffected(a: NodeAdvisory, version: string): boolean {
  return onLinux(a) && a.vulnerable(version) && !a.patched(version);
}
