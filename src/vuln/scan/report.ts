// The scan report: bpx's JSON (schemas/scan-report.schema.json), SARIF 2.1.0, and a plain-text table.
import type { VulnFinding } from '../osv/index.ts';
import type { SbomSource } from './targets.ts';

export interface TargetReport {
  target: string;
  sbom: { source: SbomSource; signature: string };
  findings: VulnFinding[];
}

/** `{"targets": [{"target", "sbom": {"source", "signature"}, "findings": [...]}]}` with exactly the documented keys. */
export function toJson(reports: readonly TargetReport[]): string {
  const targets = reports.map((r) => ({
    target: r.target,
    sbom: { source: r.sbom.source, signature: r.sbom.signature },
    findings: r.findings.map((f) => ({
      id: f.id,
      aliases: f.aliases,
      purl: f.purl,
      name: f.name,
      version: f.version,
      severity: f.severity,
      fixed: f.fixed,
      summary: f.summary,
    })),
  }));
  return `${JSON.stringify({ targets }, null, 2)}\n`;
}

const LEVEL = { critical: 'error', high: 'error', medium: 'warning', low: 'note', unknown: 'warning' } as const;
// GitHub code scanning reads security-severity (a CVSS-like number) from rule properties
const SCORE = { critical: '9.5', high: '8.0', medium: '5.5', low: '2.0', unknown: '5.0' } as const;

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
        text: `${f.name}@${f.version} is affected by ${f.id}${f.aliases.length ? ` (${f.aliases.join(', ')})` : ''}${f.fixed.length ? `; fixed in ${f.fixed.join(', ')}` : ''}`,
      },
      locations: [{ physicalLocation: { artifactLocation: { uri: r.target } }, logicalLocations: [{ name: f.purl, kind: 'package' }] }],
      partialFingerprints: { 'bpx/v1': `${f.id}|${f.purl}` },
      properties: { purl: f.purl, severity: f.severity, fixed: f.fixed, sbomSource: r.sbom.source, signature: r.sbom.signature },
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
                helpUri: `https://osv.dev/vulnerability/${encodeURIComponent(id)}`,
                properties: { 'security-severity': SCORE[f.severity], tags: ['security', 'vulnerability'] },
              };
            }),
          },
        },
        results,
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}

/** Plain text: one block per target, one line per finding. */
export function toText(reports: readonly TargetReport[]): string {
  const out: string[] = [];
  for (const r of reports) {
    out.push(`${r.target}  (sbom: ${r.sbom.source}, signature: ${r.sbom.signature})`);
    if (!r.findings.length) out.push('  no known vulnerabilities');
    for (const f of r.findings) {
      out.push(`  ${f.severity.padEnd(8)} ${f.id.padEnd(20)} ${f.name}@${f.version}${f.fixed.length ? `  fixed: ${f.fixed.join(', ')}` : ''}${f.summary ? `  ${f.summary}` : ''}`);
    }
  }
  return `${out.join('\n')}\n`;
}
