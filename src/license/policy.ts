// License policy over SPDX expressions: allow/deny lists of license and exception ids, per-package exemptions by purl glob.
import satisfies from 'spdx-satisfies';
import type { Component } from '../model/index.ts';
import { type Node, leafText, parseExpression, toText } from './expression.ts';

export type UnknownChoice = 'allow' | 'warn' | 'deny';

export interface PackageException {
  /** purl glob: `*` any run of characters but `/`, `**` anything, e.g. `pkg:npm/@acme/**` or `pkg:maven/com.acme/*` */
  purl: string;
  reason: string;
  /** when given, only these licenses are additionally allowed for the package; otherwise the package is exempt */
  allow?: string[];
}

export interface LicensePolicy {
  /** SPDX license ids and exception ids that are acceptable; when absent, everything not denied is acceptable */
  allow?: string[];
  /** SPDX license ids and exception ids that are never acceptable */
  deny?: string[];
  exceptions?: PackageException[];
  /** what to do with a package that declares no license or one that is not an SPDX expression (default warn) */
  unknown?: UnknownChoice;
}

export interface LicenseViolation {
  purl: string;
  name: string;
  version: string;
  /** the expression as evaluated, or the raw declarations when unknown */
  license: string;
  kind: 'denied' | 'not-allowed' | 'unknown';
  /** error for denied/not-allowed and unknown=deny; warning for unknown=warn */
  severity: 'error' | 'warning';
  message: string;
}

// `pkg:npm/@acme/**` -> /^pkg:npm\/@acme\/.*$/ ; `*` stops at '/', '?' one character
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      re += '.*';
      i++;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 'i');
}

// spdx-satisfies throws on anything it cannot parse (LicenseRef-*, typos): that is "not satisfied", never a crash
function safeSatisfies(expr: string, list: readonly string[]): boolean {
  if (!list.length) return false;
  try {
    return satisfies(expr, list);
  } catch {
    return list.includes(expr);
  }
}

type Verdict = 'ok' | 'denied' | 'not-allowed';

function leafVerdict(n: { license: string; plus?: boolean; exception?: string }, allow: string[] | undefined, deny: Set<string>): Verdict {
  if (deny.has(n.license) || (n.exception && deny.has(n.exception))) return 'denied';
  if (!allow) return 'ok';
  if (n.exception && !allow.includes(n.exception)) return 'not-allowed';
  // licenses ok on their own; exceptions the allow list names are accepted with any allowed license
  const bare = leafText({ license: n.license, ...(n.plus ? { plus: true } : {}) });
  const ids = allow.filter((a) => !a.toLowerCase().includes('exception'));
  return safeSatisfies(bare, ids) || allow.includes(leafText(n)) ? 'ok' : 'not-allowed';
}

// AND needs both sides; OR needs one (the best verdict wins: ok > not-allowed > denied)
function verdict(n: Node, allow: string[] | undefined, deny: Set<string>): Verdict {
  if ('license' in n) return leafVerdict(n, allow, deny);
  const l = verdict(n.left, allow, deny);
  const r = verdict(n.right, allow, deny);
  const order: Verdict[] = ['denied', 'not-allowed', 'ok'];
  const pick = n.conjunction === 'and' ? Math.min(order.indexOf(l), order.indexOf(r)) : Math.max(order.indexOf(l), order.indexOf(r));
  return order[pick]!;
}

/** The component's licenses as one expression: several declarations all apply (AND). undefined when any is not SPDX. */
export function componentExpression(c: Component): Node | undefined {
  if (!c.licenses.length) return undefined;
  let acc: Node | undefined;
  for (const l of c.licenses) {
    // the raw declaration is re-read here with per-id correction: spdx-correct on a whole expression can
    // shorten "mit or apache-2.0" to one of its parts, which a policy must not rely on
    const n = parseExpression(l.raw);
    if (!n) return undefined;
    acc = acc ? { left: acc, conjunction: 'and', right: n } : n;
  }
  return acc;
}

/** Checks each component (applications themselves are skipped); returns violations sorted by purl. */
export function evaluateLicenses(components: readonly Component[], policy: LicensePolicy): LicenseViolation[] {
  const deny = new Set(policy.deny ?? []);
  const unknown = policy.unknown ?? 'warn';
  const exceptions = (policy.exceptions ?? []).map((e) => ({ ...e, re: globToRegExp(e.purl) }));
  const out: LicenseViolation[] = [];
  const seen = new Set<string>();
  for (const c of components) {
    if (c.kind === 'application' || seen.has(c.purl)) continue;
    seen.add(c.purl);
    const ex = exceptions.find((e) => e.re.test(c.purl));
    if (ex && !ex.allow) continue;
    const allow = policy.allow ? [...policy.allow, ...(ex?.allow ?? [])] : undefined;
    const base = { purl: c.purl, name: c.name, version: c.version };
    const expr = componentExpression(c);
    if (!expr) {
      if (unknown === 'allow') continue;
      const raw = c.licenses.map((l) => l.raw).join('; ');
      out.push({
        ...base,
        license: raw,
        kind: 'unknown',
        severity: unknown === 'deny' ? 'error' : 'warning',
        message: raw ? `license "${raw}" is not an SPDX expression` : 'no license declared',
      });
      continue;
    }
    const text = toText(expr);
    const v = verdict(expr, allow, deny);
    if (v === 'ok') continue;
    out.push({
      ...base,
      license: text,
      kind: v,
      severity: 'error',
      message: v === 'denied' ? `license ${text} is denied by the policy` : `license ${text} is not in the allowed list`,
    });
  }
  return out.sort((a, b) => (a.purl < b.purl ? -1 : a.purl > b.purl ? 1 : 0));
}

/** Validates a policy from `with:` settings; returns messages naming the field for each problem. */
export function parsePolicy(w: Record<string, unknown>, where: string): { policy: LicensePolicy; errors: string[] } {
  const errors: string[] = [];
  const ids = (k: string): string[] | undefined => {
    const v = w[k];
    if (v === undefined) return undefined;
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'string' && x.trim())) {
      errors.push(`${where}.${k}: must be a list of SPDX ids`);
      return undefined;
    }
    return v.map((x: string) => x.trim());
  };
  const policy: LicensePolicy = {};
  const allow = ids('allow');
  const deny = ids('deny');
  if (allow) policy.allow = allow;
  if (deny) policy.deny = deny;
  if (w.unknown !== undefined) {
    if (w.unknown === 'allow' || w.unknown === 'warn' || w.unknown === 'deny') policy.unknown = w.unknown;
    else errors.push(`${where}.unknown: must be allow, warn or deny`);
  }
  if (w.exceptions !== undefined) {
    if (!Array.isArray(w.exceptions)) errors.push(`${where}.exceptions: must be a list of {purl, reason, allow}`);
    else {
      policy.exceptions = [];
      w.exceptions.forEach((e: unknown, i) => {
        const o = (e ?? {}) as Record<string, unknown>;
        if (typeof o.purl !== 'string' || !o.purl.startsWith('pkg:'))
          return errors.push(`${where}.exceptions[${i}].purl: a purl pattern such as pkg:npm/@acme/**`);
        if (typeof o.reason !== 'string' || !o.reason.trim()) return errors.push(`${where}.exceptions[${i}].reason: required`);
        if (o.allow !== undefined && (!Array.isArray(o.allow) || !o.allow.every((x) => typeof x === 'string'))) {
          return errors.push(`${where}.exceptions[${i}].allow: must be a list of SPDX ids`);
        }
        policy.exceptions!.push({ purl: o.purl, reason: o.reason, ...(o.allow ? { allow: o.allow as string[] } : {}) });
      });
    }
  }
  for (const k of Object.keys(w)) {
    if (!['allow', 'deny', 'unknown', 'exceptions', 'includeDev'].includes(k)) errors.push(`${where}.${k}: unknown setting`);
  }
  return { policy, errors };
}
