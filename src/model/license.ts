// License declarations normalised to SPDX license expressions (https://spdx.github.io/spdx-spec/v2.3/SPDX-license-expressions/).
import parse from 'spdx-expression-parse';
import correct from 'spdx-correct';
import type { License } from './component.ts';

function parses(expr: string): boolean {
  try {
    parse(expr);
    return true;
  } catch {
    return false;
  }
}

/**
 * The license as declared, plus its SPDX expression when it parses or can be corrected:
 * 'MIT' → {raw: 'MIT', spdx: 'MIT'}; 'Apache 2' → {raw, spdx: 'Apache-2.0'};
 * 'MIT/X11' → {raw, spdx: 'MIT'}; 'Custom: see LICENSE' → {raw} only.
 */
export function normaliseLicense(raw: string): License {
  const text = raw.trim();
  if (!text) return { raw };
  // 'MIT or Apache-2.0' → 'MIT OR Apache-2.0': SPDX operators are upper case in the canonical form.
  const rewritten = text.replace(/\s+(or|and|with)\s+/gi, (_m, op: string) => ` ${op.toUpperCase()} `);
  if (parses(rewritten)) return { raw: text, spdx: rewritten };
  const corrected = correct(text, { upgrade: true });
  if (corrected && parses(corrected)) return { raw: text, spdx: corrected };
  return { raw: text };
}

/** Normalises several declarations, dropping empty and duplicate ones, keeping declaration order. */
export function normaliseLicenses(raws: Iterable<string | undefined | null>): License[] {
  const out: License[] = [];
  const seen = new Set<string>();
  for (const r of raws) {
    if (typeof r !== 'string' || !r.trim() || seen.has(r.trim())) continue;
    seen.add(r.trim());
    out.push(normaliseLicense(r));
  }
  return out;
}
