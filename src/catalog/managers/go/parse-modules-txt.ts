// vendor/modules.txt as `go mod vendor` writes it (https://go.dev/ref/mod#vendoring): `# path version [=> new [version]]`, then packages.
import type { Issue } from '../../../model/index.ts';

export interface VendoredModule {
  path: string;
  version: string;
  /** the replacement Go vendored instead, when `=>` is present */
  replacedBy?: { path: string; version?: string };
  /** `## explicit`: listed in go.mod */
  explicit: boolean;
  line: number;
}

export function parseModulesTxt(text: string, path: string): { modules: VendoredModule[]; issues: Issue[] } {
  const modules: VendoredModule[] = [];
  const issues: Issue[] = [];
  let cur: VendoredModule | undefined;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const t = lines[i].trim();
    if (t.startsWith('## ')) {
      if (cur && /(^|;)\s*explicit\b/.test(t.slice(3))) cur.explicit = true;
      continue;
    }
    if (!t.startsWith('# ')) continue;
    cur = undefined;
    // `# github.com/a/b v1.2.3`, `# gopkg.in/x v1 => github.com/y v1.4.7`, `# example.com/m => ./m`
    const toks = t.slice(2).trim().split(/\s+/);
    const arrow = toks.indexOf('=>');
    const left = arrow < 0 ? toks : toks.slice(0, arrow);
    const right = arrow < 0 ? [] : toks.slice(arrow + 1);
    if (left.length === 1 && arrow > 0) continue; // a wildcard replacement line: `# path => ./dir`, no version shipped from a registry
    if (left.length !== 2 || (arrow >= 0 && (right.length < 1 || right.length > 2))) {
      issues.push({ path, line: i + 1, severity: 'warning', message: `malformed module line: ${t.slice(0, 100)}` });
      continue;
    }
    cur = {
      path: left[0],
      version: left[1],
      explicit: false,
      line: i + 1,
      ...(arrow >= 0 ? { replacedBy: { path: right[0], ...(right[1] ? { version: right[1] } : {}) } } : {}),
    };
    modules.push(cur);
  }
  return { modules, issues };
}
