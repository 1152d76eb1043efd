// How a component's declared licenses map onto CycloneDX 1.6 `licenses` (ids, names, or one SPDX expression) and SPDX 2.3 licenseDeclared.
import parse from 'spdx-expression-parse';
import type { License } from '../../model/index.ts';

type Ast = { license?: string; plus?: boolean; exception?: string };

// An SBOM repeats a handful of expressions hundreds of times (MIT, ISC, Apache-2.0): each is parsed once per process.
const PARSED = new Map<string, Ast | null>();

/** The parse of `expr`, or null when it is not an SPDX expression; memoised (bounded), never handed out to mutate. */
function parsed(expr: string): Readonly<Ast> | null {
  let ast = PARSED.get(expr);
  if (ast === undefined) {
    try {
      ast = parse(expr) as Ast;
    } catch {
      ast = null;
    }
    if (PARSED.size < 1000) PARSED.set(expr, ast);
  }
  return ast;
}

/** true when `expr` parses as an SPDX expression. */
export function isSpdxExpression(expr: string): boolean {
  return parsed(expr) !== null;
}

/** `MIT` → true; `MIT OR Apache-2.0`, `GPL-2.0+`, `LicenseRef-x`, `X WITH Y` → false. */
function isPlainListedId(expr: string): boolean {
  const ast = parsed(expr);
  return (
    ast !== null &&
    typeof ast.license === 'string' &&
    !ast.plus &&
    !ast.exception &&
    !ast.license.startsWith('LicenseRef-') &&
    !ast.license.startsWith('DocumentRef-')
  );
}

export type CdxLicense = { license: { id: string } } | { license: { name: string } } | { expression: string };

/**
 * CycloneDX allows either a list of single licenses or exactly one expression. So: one valid compound expression →
 * `[{expression}]`; otherwise one entry per license: listed ids as `id`, the rest (raw text, compound expressions
 * beside others) as `name`.
 */
export function cdxLicenses(licenses: readonly License[]): CdxLicense[] {
  const valid = licenses.map((l) => (l.spdx && isSpdxExpression(l.spdx) ? l.spdx : undefined));
  if (licenses.length === 1 && valid[0] && !isPlainListedId(valid[0])) return [{ expression: valid[0] }];
  const out = new Map<string, CdxLicense>();
  licenses.forEach((l, i) => {
    const v = valid[i];
    if (v && isPlainListedId(v)) out.set(`id:${v}`, { license: { id: v } });
    else out.set(`name:${v ?? l.raw}`, { license: { name: v ?? l.raw } });
  });
  return [...out.values()];
}

/** SPDX licenseDeclared: the expressions joined with AND (each parenthesised when compound); NOASSERTION when any is not SPDX. */
export function spdxDeclared(licenses: readonly License[]): { declared: string; comment?: string } {
  if (licenses.length === 0) return { declared: 'NOASSERTION' };
  const exprs = licenses.map((l) => (l.spdx && isSpdxExpression(l.spdx) ? l.spdx : undefined));
  if (exprs.some((e) => e === undefined)) {
    return { declared: 'NOASSERTION', comment: `Declared license: ${licenses.map((l) => l.raw).join('; ')}` };
  }
  const uniq = [...new Set(exprs as string[])];
  const declared = uniq.length === 1 ? uniq[0] : uniq.map((e) => (/\s/.test(e) ? `(${e})` : e)).join(' AND ');
  return { declared };
}
