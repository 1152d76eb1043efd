// JSON.parse errors (ECMA-404 input) turned into located issues.
import type { Issue } from '../../../model/index.ts';
import { LineIndex } from '../../line-index.ts';

/** 'Unexpected token } in JSON at position 812' → the line of offset 812; no position → the last line. */
export function jsonError(text: string, file: string, err: unknown): Issue {
  const msg = String((err as Error)?.message ?? err);
  const m = /position (\d+)/.exec(msg);
  const line = m ? new LineIndex(text).lineAt(Number(m[1])) : text.split('\n').length;
  return { path: file, line, severity: 'error', message: `invalid JSON: ${msg}` };
}
