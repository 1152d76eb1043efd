// pylock.toml (PEP 751 lock-version 1.0): [[packages]] with wheels/sdist hashes and environment markers.
import type { Component, Hash, Issue, Scope } from '../../../model/index.ts';
import { fromHex } from '../../../model/index.ts';
import { mergeComponents } from '../../merge.ts';
import { pypiComponent } from './package.ts';
import { asArray, asRecord, asString, entryLines, readToml } from './toml.ts';

/**
 * Scope from the PEP 751 marker: a package whose marker only holds for named `dependency_groups` none of which
 * is in `default-groups` is dev; one that needs an `extras` is optional; anything else is required.
 */
export function parsePylock(text: string, file: string): { components: Component[]; issues: Issue[] } {
  const { doc, issues } = readToml(text, file, 'packages');
  const lines = entryLines(text, 'packages');
  const defaults = new Set(asArray(doc['default-groups']).filter((g): g is string => typeof g === 'string'));
  const components: Component[] = [];
  asArray(doc.packages).forEach((raw, i) => {
    const r = asRecord(raw);
    const name = asString(r?.name);
    if (!r || !name) {
      issues.push({ path: file, line: lines[i], severity: 'warning', message: 'package entry without name: skipped' });
      return;
    }
    const marker = asString(r.marker) ?? '';
    const groups = [...marker.matchAll(/['"]([^'"]+)['"]\s+in\s+dependency_groups/g)].map((m) => m[1]);
    let scope: Scope = 'required';
    if (groups.length && !groups.some((g) => defaults.has(g))) scope = 'dev';
    else if (/\bin\s+extras\b/.test(marker)) scope = 'optional';
    const hashes: Hash[] = [];
    for (const f of [asRecord(r.sdist), ...asArray(r.wheels).map(asRecord)]) {
      for (const [alg, hex] of Object.entries(asRecord(f?.hashes) ?? {})) {
        const h = typeof hex === 'string' ? fromHex(alg, hex) : undefined;
        if (h) hashes.push(h);
      }
    }
    components.push(
      pypiComponent({
        name,
        version: asString(r.version) ?? '',
        scope,
        hashes,
        location: { path: file, line: lines[i] ?? 1, source: 'lockfile' },
      }),
    );
  });
  return { components: mergeComponents(components), issues };
}
