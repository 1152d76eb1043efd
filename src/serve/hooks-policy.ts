// The reference receiver's policy (examples/serve-hooks-policy.yml): deny/warn by purl prefix, fail on finding severity.
import { parse as parseYaml } from 'yaml';
import { Ajv } from 'ajv';
import { formatAjvErrors } from '../http/schema-errors.ts';
import type { Finding, HookResult, Severity } from '../lifecycle/hooks/types.ts';

export interface PolicyRule {
  /** "pkg:npm/lodash" matches every version; "pkg:npm/lodash@4.17.20" one version. */
  purl: string;
  reason?: string;
}

export interface HooksPolicy {
  deny: PolicyRule[];
  warn: PolicyRule[];
  /** fail when a finding sent along has at least this severity. */
  failOnSeverity?: Severity;
}

const SEVERITIES: Severity[] = ['info', 'low', 'medium', 'high', 'critical'];

const rule = {
  type: 'object',
  required: ['purl'],
  additionalProperties: false,
  properties: { purl: { type: 'string', pattern: '^pkg:[a-z0-9.+-]+/' }, reason: { type: 'string' } },
};
const schema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    deny: { type: 'array', items: rule },
    warn: { type: 'array', items: rule },
    failOnSeverity: { enum: SEVERITIES },
  },
};

/** Parses a YAML or JSON policy; the error names the file and the field. */
export function parsePolicy(text: string, file: string): HooksPolicy {
  let doc: unknown;
  try {
    doc = parseYaml(text) ?? {};
  } catch (e) {
    const pos = (e as { linePos?: Array<{ line: number }> }).linePos?.[0]?.line;
    throw new Error(`${file}${pos ? `:${pos}` : ''}: not valid YAML/JSON: ${(e as Error).message.split('\n')[0]}`);
  }
  const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
  if (!validate(doc)) throw new Error(`${file}: ${formatAjvErrors('policy', validate.errors)}`);
  const p = doc as Partial<HooksPolicy>;
  return { deny: p.deny ?? [], warn: p.warn ?? [], failOnSeverity: p.failOnSeverity };
}

/** purl prefix match on a boundary: "pkg:npm/request" matches "pkg:npm/request@2.88.2", not "pkg:npm/request-promise@4". */
export function purlMatches(purl: string, prefix: string): boolean {
  if (!purl.startsWith(prefix)) return false;
  if (purl.length === prefix.length) return true;
  return /[@?#/]/.test(purl[prefix.length]) || /[@?#/]$/.test(prefix);
}

interface Context {
  components?: Array<{ purl?: unknown }>;
  findings?: Finding[];
}

export function evaluatePolicy(policy: HooksPolicy, ctx: Context): Required<Pick<HookResult, 'verdict' | 'message' | 'findings'>> {
  const findings: Finding[] = [];
  const purls = (Array.isArray(ctx.components) ? ctx.components : [])
    .map((c) => (typeof c?.purl === 'string' ? c.purl : ''))
    .filter(Boolean)
    .sort();
  let denied = 0;
  let warned = 0;
  for (const purl of purls) {
    const d = policy.deny.find((r) => purlMatches(purl, r.purl));
    if (d) {
      denied++;
      findings.push({ severity: 'high', message: `denied by policy${d.reason ? `: ${d.reason}` : ''}`, package: purl, id: 'policy-deny' });
      continue;
    }
    const w = policy.warn.find((r) => purlMatches(purl, r.purl));
    if (w) {
      warned++;
      findings.push({
        severity: 'medium',
        message: `flagged by policy${w.reason ? `: ${w.reason}` : ''}`,
        package: purl,
        id: 'policy-warn',
      });
    }
  }
  let severe = 0;
  if (policy.failOnSeverity && Array.isArray(ctx.findings)) {
    const floor = SEVERITIES.indexOf(policy.failOnSeverity);
    severe = ctx.findings.filter((f) => SEVERITIES.indexOf(f?.severity) >= floor).length;
  }
  if (denied || severe) {
    const parts = [denied ? `${denied} denied package(s)` : '', severe ? `${severe} finding(s) at or above ${policy.failOnSeverity}` : ''];
    return { verdict: 'fail', message: parts.filter(Boolean).join(', '), findings };
  }
  if (warned) return { verdict: 'warn', message: `${warned} flagged package(s)`, findings };
  return { verdict: 'pass', message: `${purls.length} component(s) checked`, findings };
}
