// pip requirements files (https://pip.pypa.io/en/stable/reference/requirements-file-format/), with -r/-c includes.
import path from 'node:path';
import type { Hash, Issue } from '../../../model/index.ts';
import { fromHex } from '../../../model/index.ts';

export interface RequirementEntry {
  /** As declared; undefined for a URL or path requirement whose name cannot be told. */
  name?: string;
  /** The version specifier as written, e.g. '==1.2.3' or '>=3,<4' ('' when none). */
  specifier: string;
  /** The exact version when the specifier is one `==`/`===` pin without a wildcard. */
  version?: string;
  extras: string[];
  /** PEP 508 environment marker, kept as written. */
  marker?: string;
  hashes: Hash[];
  /** Direct reference: `name @ url`, a bare URL/path, or a VCS URL (`git+https://…`). */
  url?: string;
  editable: boolean;
  /** true when it came from a -c/--constraint file (pins versions; adds no package). */
  constraint: boolean;
  path: string;
  line: number;
}

export interface RequirementsResult {
  entries: RequirementEntry[];
  issues: Issue[];
  /** Every file read, the first one included. */
  files: string[];
}

/** A logical line: continuation lines joined, comments stripped, with the 1-based line it starts on. */
interface LogicalLine {
  text: string;
  line: number;
}

// pip's COMMENT_RE: a '#' at the start or after whitespace starts a comment ('a==1 # via b' → 'a==1').
const COMMENT = /(^|\s+)#.*$/;

/** pip's join_lines + ignore_comments: 'a==1 \\\n  --hash=sha256:x' → one line starting at line 1. */
export function logicalLines(text: string): LogicalLine[] {
  const out: LogicalLine[] = [];
  const raw = text.split(/\r?\n/);
  let parts: string[] = [];
  let start = 0;
  for (let i = 0; i < raw.length; i++) {
    let line = raw[i];
    // pip's COMMENT_RE.match: only a line that starts with a comment ends a continuation.
    const isComment = /^\s*#/.test(line);
    if (!line.endsWith('\\') || isComment) {
      if (isComment) line = ' ' + line;
      if (parts.length) {
        parts.push(line);
        push(out, parts.join(''), start);
        parts = [];
      } else push(out, line, i + 1);
    } else {
      if (!parts.length) start = i + 1;
      parts.push(line.replace(/^\\+|\\+$/g, ''));
    }
  }
  if (parts.length) push(out, parts.join(''), start);
  return out;
}

function push(out: LogicalLine[], text: string, line: number): void {
  const t = text.replace(COMMENT, '').trim();
  if (t) out.push({ text: t, line });
}

// Options that take a value, so the value is not read as a requirement ('-i https://…').
const VALUE_OPTIONS = new Set([
  '-i',
  '--index-url',
  '--extra-index-url',
  '-f',
  '--find-links',
  '--trusted-host',
  '--no-binary',
  '--only-binary',
  '--use-feature',
  '--config-settings',
  '--global-option',
  '--hash',
]);

interface Include {
  kind: 'requirement' | 'constraint';
  target: string;
  line: number;
}

/** Parses one file's text: its own entries, and the -r/-c includes it names (not followed here). */
export function parseRequirementsText(
  text: string,
  file: string,
  constraint = false,
): { entries: RequirementEntry[]; includes: Include[]; issues: Issue[] } {
  const entries: RequirementEntry[] = [];
  const includes: Include[] = [];
  const issues: Issue[] = [];
  for (const { text: t, line } of logicalLines(text)) {
    const tokens = t.split(/\s+/);
    const first = tokens[0];
    const inc = /^(-r|--requirement|-c|--constraint)(?:=(.*))?$/.exec(first) ?? /^(-r|-c)(\S+)$/.exec(first);
    if (inc) {
      const target = inc[2] || tokens[1];
      if (!target) {
        issues.push({ path: file, line, severity: 'warning', message: `${inc[1]} names no file` });
        continue;
      }
      includes.push({ kind: /^(-c|--constraint)$/.test(inc[1]) ? 'constraint' : 'requirement', target, line });
      continue;
    }
    let editable = false;
    let reqTokens: string[];
    if (first === '-e' || first === '--editable' || first.startsWith('--editable=') || /^-e\S/.test(first)) {
      editable = true;
      const inline = first.startsWith('--editable=') ? first.slice(11) : first.startsWith('-e') && first.length > 2 ? first.slice(2) : '';
      reqTokens = inline ? [inline, ...tokens.slice(1)] : tokens.slice(1);
    } else if (first.startsWith('-')) {
      continue; // a global option line (-i, --find-links, --require-hashes, …): no package
    } else reqTokens = tokens;
    // Requirement text runs until the first option token (pip's break_args_options).
    const req: string[] = [];
    const hashes: Hash[] = [];
    let i = 0;
    for (; i < reqTokens.length && !reqTokens[i].startsWith('-'); i++) req.push(reqTokens[i]);
    for (; i < reqTokens.length; i++) {
      const tok = reqTokens[i];
      let value: string | undefined;
      if (tok.startsWith('--hash=')) value = tok.slice(7);
      else if (tok === '--hash') value = reqTokens[++i];
      else if (VALUE_OPTIONS.has(tok)) i++;
      if (value !== undefined) {
        const h = fromHex(value);
        if (h) hashes.push(h);
        else issues.push({ path: file, line, severity: 'warning', message: `unreadable --hash value "${value}"` });
      }
    }
    const entry = parseRequirement(req.join(' '), file, line, constraint, editable, hashes);
    if (entry) entries.push(entry);
    else issues.push({ path: file, line, severity: 'warning', message: `not a requirement: "${t.slice(0, 80)}"` });
  }
  return { entries, includes, issues };
}

// 'google-api-core[grpc] >= 1.2 ; python_version < "3.8"' → name, extras, rest.
const NAMED = /^([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(?:\[([^\]]*)\])?\s*(.*)$/s;
const URLISH = /^([a-z][a-z0-9+.-]*:\/\/|[a-z]+\+[a-z]+:|\.{0,2}\/|[A-Za-z]:\\)/i;

function parseRequirement(
  text: string,
  file: string,
  line: number,
  constraint: boolean,
  editable: boolean,
  hashes: Hash[],
): RequirementEntry | undefined {
  const base = { extras: [] as string[], hashes, editable, constraint, path: file, line, specifier: '' };
  if (!text) return undefined;
  // A bare URL or path: 'git+https://…#egg=name', 'https://…/pkg-1.0.tar.gz', './local'.
  // A path with a slash before any space or ';' ('vendor/pkg-1.0-py3-none-any.whl', '-e src/mypkg') is a local path.
  if (URLISH.test(text) || /^[^\s;@]*[\\/]/.test(text) || (editable && !NAMED.test(text))) {
    const [url, marker] = splitMarker(text, true);
    return { ...base, url, ...(marker ? { marker } : {}), ...nameFromUrl(url) };
  }
  const m = NAMED.exec(text);
  if (!m) return undefined;
  const [, name, extras, restRaw] = m;
  const rest = restRaw.trim();
  const extraList = extras
    ? extras
        .split(',')
        .map((e) => e.trim())
        .filter(Boolean)
    : [];
  if (rest.startsWith('@')) {
    const [url, marker] = splitMarker(rest.slice(1).trim(), true);
    return { ...base, name, extras: extraList, url, ...(marker ? { marker } : {}) };
  }
  const [spec, marker] = splitMarker(rest, false);
  // '(>=1.0)' is the old parenthesised form.
  const specifier = spec.replace(/^\((.*)\)$/, '$1').replace(/\s+/g, '');
  if (specifier && !/^(===?|~=|!=|<=?|>=?)/.test(specifier)) return undefined;
  const version = pinOf(specifier);
  return { ...base, name, extras: extraList, specifier, ...(version ? { version } : {}), ...(marker ? { marker } : {}) };
}

/** The exact pin of a specifier set: '==1.2' → '1.2'; '==1.*', '>=1' → undefined. */
export function pinOf(specifier: string): string | undefined {
  for (const part of specifier.split(',')) {
    const m = /^===?(.+)$/.exec(part.trim());
    if (m && !m[1].includes('*')) return m[1].trim();
  }
  return undefined;
}

/** 'x ; python_version<"3"' → ['x', 'python_version<"3"']. In a URL the marker needs a space before ';'. */
function splitMarker(text: string, url: boolean): [string, string | undefined] {
  const i = url ? text.search(/\s;/) : text.indexOf(';');
  if (i < 0) return [text.trim(), undefined];
  return [text.slice(0, i).trim(), text.slice(i).replace(/^\s*;/, '').trim() || undefined];
}

/**
 * A name (and version) told by a URL: '#egg=name', a wheel or sdist file name ('pkg-1.0-py3-none-any.whl',
 * 'pkg-1.0.tar.gz'), or a GitHub/GitLab repository path ('github.com/pallets/werkzeug/archive/…' → werkzeug).
 */
export function nameFromUrl(url: string): { name?: string; version?: string } {
  const egg = /[#&]egg=([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(url);
  if (egg) return { name: egg[1] };
  const file = url.split(/[?#]/)[0].split('/').pop() ?? '';
  const wheel = /^([A-Za-z0-9][A-Za-z0-9._]*)-([0-9][^-]*)-[^-]+-[^-]+-[^-]+\.whl$/.exec(file);
  if (wheel) return { name: wheel[1], version: wheel[2] };
  const sdist = /^([A-Za-z0-9][A-Za-z0-9._-]*?)-([0-9][A-Za-z0-9.+!]*)\.(tar\.gz|zip|tar\.bz2|tgz)$/.exec(file);
  if (sdist) return { name: sdist[1], version: sdist[2] };
  const repo = /^(?:[a-z]+\+)?https?:\/\/(?:www\.)?(?:github\.com|gitlab\.com)\/[^/]+\/([^/@#?]+?)(?:\.git)?(?:[/@#?]|$)/i.exec(url);
  if (repo) return { name: repo[1] };
  return {};
}

/**
 * Reads a requirements file and everything it includes (-r relative to the including file; -c marks what it
 * reads as constraints), depth first like pip. Cycle-safe; includes that leave the root or are URLs are not
 * followed (a warning says so). `read` returns undefined for a file that is not there.
 */
export async function parseRequirementsTree(file: string, read: (p: string) => Promise<string | undefined>): Promise<RequirementsResult> {
  const result: RequirementsResult = { entries: [], issues: [], files: [] };
  const active = new Set<string>();
  const visit = async (p: string, constraint: boolean, from?: { path: string; line: number }): Promise<void> => {
    const key = `${constraint ? 'c' : 'r'}:${p}`;
    if (active.has(key)) {
      result.issues.push({
        path: from?.path ?? p,
        line: from?.line,
        severity: 'warning',
        message: `include cycle through ${p}: not followed again`,
      });
      return;
    }
    let text: string | undefined;
    try {
      text = await read(p);
    } catch (err) {
      result.issues.push({ path: p, severity: 'error', message: `cannot read: ${(err as Error).message}` });
      return;
    }
    if (text === undefined) {
      result.issues.push({ path: from?.path ?? p, line: from?.line, severity: 'warning', message: `included file ${p} is not in the app` });
      return;
    }
    active.add(key);
    if (!result.files.includes(p)) result.files.push(p);
    const one = parseRequirementsText(text, p, constraint);
    result.issues.push(...one.issues);
    // pip yields a file's lines in order, an include's entries where the include line stands.
    let next = 0;
    for (const inc of one.includes) {
      while (next < one.entries.length && one.entries[next].line < inc.line) result.entries.push(one.entries[next++]);
      const target = resolveInclude(p, inc.target);
      if (!target) {
        result.issues.push({
          path: p,
          line: inc.line,
          severity: 'warning',
          message: `include "${inc.target}" leaves the app or is a URL: not followed`,
        });
        continue;
      }
      await visit(target, constraint || inc.kind === 'constraint', { path: p, line: inc.line });
    }
    while (next < one.entries.length) result.entries.push(one.entries[next++]);
    active.delete(key);
  };
  await visit(file, false);
  return result;
}

function resolveInclude(from: string, target: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(target) || path.posix.isAbsolute(target)) return undefined;
  const dir = path.posix.dirname(from);
  const joined = path.posix.normalize(path.posix.join(dir === '.' ? '' : dir, target));
  if (joined === '..' || joined.startsWith('../')) return undefined;
  return joined;
}
