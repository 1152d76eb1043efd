// SPDX license expressions (SPDX 2.3 Annex D) parsed with spdx-expression-parse and corrected with spdx-correct.
import parse from 'spdx-expression-parse';
import { correctLicense as correct } from '../model/deferred-libs.cts';

export type Node = { license: string; plus?: boolean; exception?: string } | { left: Node; conjunction: 'and' | 'or'; right: Node };

/**
 * The parsed expression, or undefined when it neither parses nor can be corrected (never throws).
 * Correction is per license id ("mit or apache 2" → `MIT OR Apache-2.0`), never of the whole text, so an
 * expression is not silently shortened to one of its parts. npm's `UNLICENSED` (not licensed) is not an SPDX id.
 */
export function parseExpression(text: string): Node | undefined {
  const t = text
    .trim()
    .replace(/^\((.*)\)$/s, '$1')
    .trim();
  if (!t || /^unlicensed$/i.test(t)) return undefined;
  const tried = tryParse(t);
  if (tried) return tried;
  // "mit or (apache 2.0 and bsd)" -> ["mit", "or", "(", "apache 2.0", "and", "bsd", ")"]: words between operators join
  const tokens: string[] = [];
  let prevWord = false;
  for (const w of t.split(/(\(|\)|\s+)/).filter((x) => x && !/^\s+$/.test(x))) {
    const isWord = w !== '(' && w !== ')' && !/^(or|and|with)$/i.test(w);
    if (isWord && prevWord) tokens[tokens.length - 1] += ` ${w}`;
    else tokens.push(w);
    prevWord = isWord;
  }
  const out: string[] = [];
  let afterWith = false;
  for (const tok of tokens) {
    if (tok === '(' || tok === ')') out.push(tok);
    else if (/^(or|and|with)$/i.test(tok)) {
      out.push(tok.toUpperCase());
      afterWith = /^with$/i.test(tok);
      continue;
    } else if (afterWith || tryParse(tok)) out.push(tok);
    else {
      const fixed = safeCorrect(tok);
      if (!fixed || !tryParse(fixed) || /\s(OR|AND)\s/.test(fixed)) return undefined;
      out.push(fixed);
    }
    afterWith = false;
  }
  return tryParse(out.join(' ').replace(/\( /g, '(').replace(/ \)/g, ')'));
}

function tryParse(t: string): Node | undefined {
  try {
    return parse(t) as Node;
  } catch {
    return undefined;
  }
}

function safeCorrect(t: string): string | undefined {
  try {
    return correct(t, { upgrade: true }) ?? undefined;
  } catch {
    return undefined;
  }
}

/** `{license: 'GPL-2.0', plus: true, exception: 'Classpath-exception-2.0'}` → `GPL-2.0+ WITH Classpath-exception-2.0` */
export function leafText(n: { license: string; plus?: boolean; exception?: string }): string {
  return `${n.license}${n.plus ? '+' : ''}${n.exception ? ` WITH ${n.exception}` : ''}`;
}

/** Canonical text of a parsed expression (operators upper case, parentheses where needed). */
export function toText(n: Node, parent?: 'and' | 'or'): string {
  if ('license' in n) return leafText(n);
  const s = `${toText(n.left, n.conjunction)} ${n.conjunction.toUpperCase()} ${toText(n.right, n.conjunction)}`;
  return parent && parent !== n.conjunction ? `(${s})` : s;
}
