// go.mod (https://go.dev/ref/mod#go-mod-file): module, require, replace, exclude; go/toolchain/retract are not dependencies.
import type { Issue } from '../../../model/index.ts';

export interface GoRequire {
  path: string;
  version: string;
  indirect: boolean;
  line: number;
}

export interface GoReplace {
  oldPath: string;
  /** absent: every version of oldPath is replaced */
  oldVersion?: string;
  newPath: string;
  /** absent for a local directory replacement (`=> ./api`) */
  newVersion?: string;
  line: number;
}

export interface GoMod {
  module?: string;
  requires: GoRequire[];
  replaces: GoReplace[];
  /** `path@version` */
  excludes: Set<string>;
}

const BLOCKS = new Set(['require', 'replace', 'exclude', 'retract', 'godebug', 'tool', 'ignore']);

/** `"github.com/a/b"` → github.com/a/b (go.mod allows quoted tokens). */
function unquote(s: string): string {
  return s.length >= 2 && (s[0] === '"' || s[0] === '`') ? s.slice(1, -1) : s;
}

/** A local replacement target is a file path: `./x`, `../x`, `/abs` (Go's own rule, modfile.IsDirectoryPath). */
export function isLocalPath(p: string): boolean {
  return p.startsWith('./') || p.startsWith('../') || p.startsWith('/') || p === '.' || p === '..' || /^[A-Za-z]:[\\/]/.test(p);
}

export function parseGoMod(text: string, path: string): { mod: GoMod; issues: Issue[] } {
  const mod: GoMod = { requires: [], replaces: [], excludes: new Set() };
  const issues: Issue[] = [];
  let block: string | undefined;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    const c = raw.indexOf('//');
    const comment = c >= 0 ? raw.slice(c + 2).trim() : '';
    const body = (c >= 0 ? raw.slice(0, c) : raw).trim();
    if (!body) continue;
    let verb: string;
    let args: string[];
    if (block) {
      if (body === ')') {
        block = undefined;
        continue;
      }
      verb = block;
      args = body.split(/\s+/);
    } else {
      const toks = body.split(/\s+/);
      verb = toks[0];
      args = toks.slice(1);
      if (args.length === 1 && args[0] === '(' && BLOCKS.has(verb)) {
        block = verb;
        continue;
      }
    }
    const line = i + 1;
    const bad = () => issues.push({ path, line, severity: 'warning', message: `malformed ${verb} directive: ${body.slice(0, 100)}` });
    switch (verb) {
      case 'module':
        mod.module = unquote(args[0] ?? '');
        break;
      case 'require':
        // `github.com/x/y v1.2.3 // indirect`
        if (args.length !== 2) bad();
        else mod.requires.push({ path: unquote(args[0]), version: unquote(args[1]), indirect: /(^|;)\s*indirect\b/.test(comment), line });
        break;
      case 'exclude':
        if (args.length !== 2) bad();
        else mod.excludes.add(`${unquote(args[0])}@${unquote(args[1])}`);
        break;
      case 'replace': {
        // `old [v] => new [v]`
        const arrow = args.indexOf('=>');
        const left = args.slice(0, arrow);
        const right = args.slice(arrow + 1);
        if (arrow < 1 || left.length > 2 || right.length < 1 || right.length > 2) {
          bad();
          break;
        }
        mod.replaces.push({
          oldPath: unquote(left[0]),
          ...(left[1] ? { oldVersion: unquote(left[1]) } : {}),
          newPath: unquote(right[0]),
          ...(right[1] ? { newVersion: unquote(right[1]) } : {}),
          line,
        });
        break;
      }
      case 'go':
      case 'toolchain':
      case 'retract':
      case 'godebug':
      case 'tool':
      case 'ignore':
        break;
      default:
        issues.push({ path, line, severity: 'warning', message: `unknown go.mod directive "${verb}"` });
    }
  }
  if (block) issues.push({ path, line: lines.length, severity: 'error', message: `file ends inside a ${block} ( … ) block (truncated?)` });
  return { mod, issues };
}

/** The replacement that applies to path@version: a versioned replace wins over an unversioned one (Go's rule). */
export function replacementFor(mod: GoMod, path: string, version: string): GoReplace | undefined {
  let any: GoReplace | undefined;
  for (const r of mod.replaces) {
    if (r.oldPath !== path) continue;
    if (r.oldVersion === version) return r;
    if (!r.oldVersion) any = r;
  }
  return any;
}
