// License declarations normalised to SPDX license expressions (https://spdx.github.io/spdx-spec/v2.3/SPDX-license-expressions/).
import parse from 'spdx-expression-parse';
import { correctLicense as correct } from './deferred-libs.cts';
import type { License } from './component.ts';

function parses(expr: string): boolean {
  try {
    parse(expr);
    return true;
  } catch {
    return false;
  }
}

/** npm's `UNLICENSED` and `SEE LICENSE IN <file>` declare a proprietary license: no SPDX id fits (never `Unlicense`). */
const PROPRIETARY = /^(UNLICENSED|SEE LICEN[SC]E IN\b.*)$/i;

/** Corrects each license id of a compound declaration on its own: spdx-correct only understands single ids. */
function correctCompound(text: string): string | undefined {
  // 'mit or apache 2' → ['mit', 'OR', 'apache 2']; parentheses kept as their own tokens.
  const tokens = text
    .split(/(\(|\)|\s+(?:AND|OR|WITH)\s+)/i)
    .map((t) => t.trim())
    .filter(Boolean);
  if (tokens.length < 2) return undefined;
  const out: string[] = [];
  let afterWith = false;
  for (const t of tokens) {
    const op = t.toUpperCase();
    if (op === 'AND' || op === 'OR' || op === 'WITH') {
      out.push(op);
      afterWith = op === 'WITH';
    } else if (t === '(' || t === ')') out.push(t);
    else {
      // an exception id after WITH is kept as written; a license id is corrected or the whole declaration gives up
      const fixed = afterWith ? t : correct(t, { upgrade: true });
      if (!fixed) return undefined;
      out.push(fixed);
      afterWith = false;
    }
  }
  const expr = out.join(' ').replace(/\( /g, '(').replace(/ \)/g, ')');
  return parses(expr) ? expr : undefined;
}

/**
 * The license as declared, plus its SPDX expression when it parses or can be corrected:
 * 'MIT' → {raw: 'MIT', spdx: 'MIT'}; 'Apache 2' → {raw, spdx: 'Apache-2.0'}; 'MIT/X11' → {raw, spdx: 'MIT'};
 * 'mit or apache-2.0' → {raw, spdx: 'MIT OR Apache-2.0'}; 'UNLICENSED' and 'Custom: see LICENSE' → {raw} only.
 */
export function normaliseLicense(raw: string): License {
  let known = normalised.get(raw);
  if (!known) {
    known = normaliseOnce(raw);
    if (normalised.size < REMEMBERED) normalised.set(raw, known);
  }
  return { ...known };
}

/**
 * Declarations already normalised in this process, and their result: an app's thousands of packages declare a few
 * dozen distinct licenses (the firebase-tools app: 1,312 declarations, 23 distinct), and each normalisation parses the
 * text, spdx-expression-parse looking every id up in a list of 700. Bounded, so hostile declarations cannot grow it
 * without end.
 */
const normalised = new Map<string, License>();
const REMEMBERED = 4096;

function normaliseOnce(raw: string): License {
  const text = raw.trim();
  if (!text || PROPRIETARY.test(text)) return { raw: text || raw };
  // 'MIT or Apache-2.0' → 'MIT OR Apache-2.0': SPDX operators are upper case in the canonical form.
  const rewritten = text.replace(/\s+(or|and|with)\s+/gi, (_m, op: string) => ` ${op.toUpperCase()} `);
  if (parses(rewritten)) return { raw: text, spdx: rewritten };
  const compound = correctCompound(text);
  if (compound) return { raw: text, spdx: compound };
  if (/\s(AND|OR|WITH)\s/i.test(text)) return { raw: text }; // a compound that cannot be corrected id by id is not guessed at
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
