// OSV record checks: the official JSON Schema (schemas/osv.schema.json, draft 2020-12) plus the linter-level rules we can check offline.
// The schema is compiled ahead of time (ajv standalone code, scripts/gen-osv-validator.mjs): no ajv compile at run time.
import { validate as matchesSchema } from './osv-validator.generated.js';
import type { OsvRecord } from './types.ts';

export type Checked = { ok: true; record: OsvRecord; warnings: string[] } | { ok: false; error: string };

/** Schema errors reject the record; linter-level problems (events that are not distinct) keep it with warnings. */
export function checkRecord(data: unknown): Checked {
  if (!matchesSchema(data)) {
    // the most telling error: the deepest one, preferring a concrete rule over "required" inside oneOf/if branches
    const rank = (k: string) => (['if', 'oneOf', 'anyOf', 'then'].includes(k) ? 0 : k === 'required' ? 1 : 2);
    const e = [...(matchesSchema.errors ?? [])].sort((a, b) => b.instancePath.length - a.instancePath.length || rank(b.keyword) - rank(a.keyword))[0];
    return { ok: false, error: `does not match the OSV schema: ${e?.instancePath || '/'} ${e?.message ?? ''}`.trim() };
  }
  const record = data as OsvRecord;
  const warnings: string[] = [];
  // plain loops, and a Set only for ranges long enough to repeat a version: this runs once per record loaded
  const affected = record.affected ?? [];
  for (let i = 0; i < affected.length; i++) {
    const a = affected[i]!;
    const ranges = a.ranges ?? [];
    let allGit = true;
    for (let j = 0; j < ranges.length; j++) {
      const r = ranges[j]!;
      if (r.type !== 'GIT') allGit = false;
      const seen = r.events.length > 1 ? new Set<string>() : undefined;
      let introduced = false;
      for (const e of r.events) {
        if (e.introduced !== undefined) introduced = true;
        const value = e.introduced ?? e.fixed ?? e.last_affected ?? e.limit;
        if (value === undefined || !seen) continue;
        if (seen.has(value)) warnings.push(`affected[${i}].ranges[${j}]: event version ${value} appears more than once (events must be distinct)`);
        seen.add(value);
      }
      if (!introduced) warnings.push(`affected[${i}].ranges[${j}]: no introduced event`);
    }
    if (!a.package && !allGit) warnings.push(`affected[${i}]: no package but non-GIT ranges`);
  }
  return { ok: true, record, warnings };
}
