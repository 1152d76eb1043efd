// TOML lockfiles (https://toml.io/en/v1.0.0) read leniently with smol-toml: a truncated file keeps its whole tables.
import { parse } from 'smol-toml';
import type { Issue } from '../../../model/index.ts';

export interface TomlRead {
  doc: Record<string, unknown>;
  issues: Issue[];
}

/**
 * Parses TOML; on a syntax error, reports it with its line and retries on the text cut before the last
 * `[[<table>]]` header above the error, so the complete entries before a damaged one are still read.
 */
export function readToml(text: string, file: string, table: string): TomlRead {
  try {
    return { doc: parse(text) as Record<string, unknown>, issues: [] };
  } catch (err) {
    const line = (err as { line?: number }).line;
    const message = `invalid TOML: ${String((err as Error).message).split('\n')[0]}`;
    const issues: Issue[] = [{ path: file, ...(line ? { line } : {}), severity: 'error', message }];
    const lines = text.split('\n');
    const header = `[[${table}]]`;
    for (let i = Math.min((line ?? lines.length) - 1, lines.length - 1); i > 0; i--) {
      if (lines[i].trim() !== header) continue;
      try {
        return { doc: parse(lines.slice(0, i).join('\n')) as Record<string, unknown>, issues };
      } catch {
        break;
      }
    }
    return { doc: {}, issues };
  }
}

/** 1-based lines of each `[[table]]` entry's `name = …` key (or its header), in document order. */
export function entryLines(text: string, table: string): number[] {
  const out: number[] = [];
  const lines = text.split('\n');
  const header = `[[${table}]]`;
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].trim() !== header) continue;
    let at = i + 1;
    for (let j = i + 1; j < lines.length && !lines[j].startsWith('['); j++) {
      if (/^name\s*=/.test(lines[j])) {
        at = j + 1;
        break;
      }
    }
    out.push(at);
  }
  return out;
}

export function asRecord(v: unknown): Record<string, unknown> | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

export function asArray(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

export function asString(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}
