// The scan report: bpx's JSON (schemas/scan-report.schema.json), SARIF 2.1.0, and a plain-text table.
import { isPublicId } from '../osv/names.ts';
import type { Unchecked, VulnFinding } from '../osv/index.ts';
import type { SbomSource, TargetProblem } from './targets.ts';

/** One target as reported: read (with sbom, findings...) or unreadable (with error). Every target given is reported. */
export interface TargetReport {
  target: string;
  /** absent when the target could not be read */
  sbom?: { source: SbomSource; signature: string };
  /** why the target could not be read at all */
  error?: string;
  /** components read from the target */
  components: number;
  /** components (each purl once) matched against the database */
  checked: number;
  findings: VulnFinding[];
  /** components with an OSV ecosystem that were not checked, and why */
  unchecked: Unchecked[];
  /** checks the target failed (it counts as failed) */
  problems: TargetProblem[];
  notes: string[];
}

/** true when the target was not read or failed a check. */
export const failed = (r: TargetReport): boolean => r.error !== undefined || r.problems.length > 0;

/** `{"targets": [{"target", "sbom" | "error", "components", "checked", "problems", "notes", "unchecked", "findings"}]}` with exactly the documented keys. */
export function toJson(reports: readonly TargetReport[]): string {
  const targets = reports.map((r) => ({
    target: r.target,
    ...(r.sbom ? { sbom: { source: r.sbom.source, signature: r.sbom.signature } } : {}),
    ...(r.error !== undefined ? { error: r.error } : {}),
    components: r.components,
    checked: r.checked,
    problems: r.problems.map((p) => ({ kind: p.kind, message: p.message })),
    notes: r.notes,
    unchecked: r.unchecked.map((u) => ({ purl: u.purl, name: u.name, version: u.version, ecosystem: u.ecosystem, reason: u.reason })),
    findings: r.findings.map((f) => ({ ...findingJson(f), ...(f.cpe ? { cpe: f.cpe } : {}) })),
  }));
  return `${JSON.stringify({ targets }, null, 2)}\n`;
}

const LEVEL = { critical: 'error', high: 'error', medium: 'warning', low: 'note', unknown: 'warning' } as const;
// GitHub code scanning reads security-severity (a CVSS-like number) from rule properties
const SCORE = { critical: '9.5', high: '8.0', medium: '5.5', low: '2.0', unknown: '5.0' } as const;

const location = (uri: string) => [{ physicalLocation: { artifactLocation: { uri } } }];

/** What went wrong with the targets, as SARIF toolExecutionNotifications (§3.20.21): unreadable, failed checks, unchecked components. */
function notifications(reports: readonly TargetReport[]) {
  const out: Array<{
    level: 'error' | 'warning' | 'note';
    descriptor: { id: string };
    message: { text: string };
    locations: ReturnType<typeof location>;
  }> = [];
  for (const r of reports) {
    if (r.error !== undefined)
      out.push({ level: 'error', descriptor: { id: 'unreadable' }, message: { text: r.error }, locations: location(r.target) });
    for (const p of r.problems)
      out.push({ level: 'error', descriptor: { id: p.kind }, message: { text: p.message }, locations: location(r.target) });
    for (const [reason, list] of groupUnchecked(r.unchecked)) {
      out.push({
        level: 'warning',
        descriptor: { id: 'unchecked' },
        message: { text: `not checked (${reason}): ${names(list)}` },
        locations: location(r.target),
      });
    }
    for (const n of r.notes) out.push({ level: 'note', descriptor: { id: 'note' }, message: { text: n }, locations: location(r.target) });
  }
  return out;
}

/** SARIF 2.1.0 (https://docs.oasis-open.org/sarif/sarif/v2.1.0/): one rule per advisory, one result per finding per target. */
export function toSarif(reports: readonly TargetReport[], tool: { name: string; version: string }): string {
  const rules = new Map<string, VulnFinding>();
  for (const r of reports) for (const f of r.findings) if (!rules.has(f.id)) rules.set(f.id, f);
  const ruleIds = [...rules.keys()].sort();
  const results = reports.flatMap((r) =>
    r.findings.map((f) => ({
      ruleId: f.id,
      ruleIndex: ruleIds.indexOf(f.id),
      level: LEVEL[f.severity],
      message: {
        text: `${f.name}@${f.version} is affected by ${f.id}${f.aliases.length ? ` (${f.aliases.join(', ')})` : ''}${f.fixed.length ? `; fixed in ${f.fixed.join(', ')}` : ''} [${f.sources.join(', ')}]`,
      },
      locations: [{ physicalLocation: { artifactLocation: { uri: r.target } }, logicalLocations: [{ name: f.purl, kind: 'package' }] }],
      partialFingerprints: { 'bpx/v1': `${f.id}|${f.purl}` },
      properties: {
        purl: f.purl,
        ...(f.cpe ? { cpe: f.cpe } : {}),
        severity: f.severity,
        fixed: f.fixed,
        sources: f.sources,
        sbomSource: r.sbom?.source,
        signature: r.sbom?.signature,
      },
    })),
  );
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: tool.name,
            version: tool.version,
            informationUri: 'https://osv.dev',
            rules: ruleIds.map((id) => {
              const f = rules.get(id)!;
              return {
                id,
                shortDescription: { text: f.summary || id },
                // a private or unregistered id (ACME-2026-0001, x_...) has no page on osv.dev
                ...(isPublicId(id) ? { helpUri: `https://osv.dev/vulnerability/${encodeURIComponent(id)}` } : {}),
                properties: { 'security-severity': SCORE[f.severity], tags: ['security', 'vulnerability'] },
              };
            }),
          },
        },
        invocations: [{ executionSuccessful: !reports.some(failed), toolExecutionNotifications: notifications(reports) }],
        results,
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}

/** Unchecked components grouped by reason, in order of first appearance. */
function groupUnchecked(list: readonly Unchecked[]): Map<string, Unchecked[]> {
  const by = new Map<string, Unchecked[]>();
  for (const u of list) {
    const reason = /^version '/.test(u.reason) ? 'a version no scheme parses' : u.reason;
    if (!by.has(reason)) by.set(reason, []);
    by.get(reason)!.push(u);
  }
  return by;
}

const names = (list: readonly Unchecked[]): string => {
  const shown = list.slice(0, 5).map((u) => `${u.name}@${u.version || '?'}`);
  return `${shown.join(', ')}${list.length > 5 ? ` and ${list.length - 5} more` : ''}`;
};

/** Plain text: one block per readable target, one line per finding; never "no known vulnerabilities" for what was not checked. */
export function toText(reports: readonly TargetReport[]): string {
  const out: string[] = [];
  for (const r of reports) {
    if (!r.sbom) continue; // unreadable: said on stderr
    out.push(`${r.target}  (sbom: ${r.sbom.source}, signature: ${r.sbom.signature})`);
    for (const p of r.problems) out.push(`  FAILED: ${p.message}`);
    for (const n of r.notes) out.push(`  note: ${n}`);
    for (const [reason, list] of groupUnchecked(r.unchecked)) out.push(`  not checked (${reason}): ${names(list)}`);
    for (const f of r.findings) {
      out.push(
        `  ${f.severity.padEnd(8)} ${f.id.padEnd(20)} ${f.name}@${f.version}${f.fixed.length ? `  fixed: ${f.fixed.join(', ')}` : ''}  [${f.sources.join(', ')}]${f.summary ? `  ${f.summary}` : ''}`,
      );
    }
    if (r.findings.length) continue;
    if (!r.components) {
      if (!r.problems.some((p) => p.kind === 'empty')) out.push('  no components found: nothing checked');
    } else if (!r.checked) out.push(`  nothing checked: none of the ${r.components} components could be matched against the database`);
    else out.push(`  no known vulnerabilities in ${r.checked} checked component${r.checked === 1 ? '' : 's'}`);
  }
  return out.length ? `${out.join('\n')}\n` : '';
}

/** A finding's fields in `--json` output, in their order (`bpx scan` adds `cpe`, `bpx fleet scan` first/last seen). */
export function findingJson<S>(
  f: Pick<VulnFinding, 'id' | 'aliases' | 'purl' | 'name' | 'version' | 'severity' | 'fixed' | 'summary'> & { sources: S },
) {
  return {
    id: f.id,
    aliases: f.aliases,
    purl: f.purl,
    name: f.name,
    version: f.version,
    severity: f.severity,
    fixed: f.fixed,
    summary: f.summary,
    sources: f.sources,
  };
}
