// The rule of a manager that reads both an installed tree and a lockfile (or declarations): installed wins.
import type { Component, Issue } from '../model/index.ts';

/**
 * `locked` reported at the installed version (`installed`'s name, version and purl, no hashes): a warning names both
 * versions when the lockfile gives one, and `renamed` maps its purl so that fixEdges retargets edges to the installed one.
 */
export function atInstalledVersion(locked: Component, installed: Component, issues: Issue[], renamed: Map<string, string>): Component {
  if (locked.version) {
    const loc = locked.locations[0];
    issues.push({
      path: loc.path,
      line: loc.line,
      severity: 'warning',
      message: `${locked.name}: the lockfile says ${locked.version} but ${installed.version} is installed (${installed.locations[0].path}): the installed version is reported`,
    });
  }
  renamed.set(locked.purl, installed.purl);
  return {
    ...locked,
    name: installed.name,
    version: installed.version,
    purl: installed.purl,
    hashes: [],
    locations: locked.locations.map((l) => ({ ...l })),
  };
}

export interface InstalledWinsRule {
  /** the name both sides are matched by (`Foo_Bar` and `foo-bar` are one Python project) */
  key(name: string): string;
  /** what is reported when both sides agree on the package, or undefined when they differ */
  agree(locked: Component, installed: Component): Component | undefined;
}

/**
 * Installed wins: a locked package installed in another version is reported at the installed version (a warning says
 * so); when the installed tree holds any locked package, locked packages it lacks are not shipped; else the lockfile stands.
 */
export function installedWins(
  installed: readonly Component[],
  locked: readonly Component[],
  rule: InstalledWinsRule,
  issues: Issue[],
  renamed: Map<string, string>,
): Component[] {
  const inst = new Map<string, Component>();
  for (const c of installed) inst.set(rule.key(c.name), c);
  const overlap = locked.some((l) => inst.has(rule.key(l.name)));
  const out = [...installed];
  for (const l of locked) {
    const i = inst.get(rule.key(l.name));
    if (!i) {
      if (!overlap) out.push(l);
      continue;
    }
    out.push(rule.agree(l, i) ?? atInstalledVersion(l, i, issues, renamed));
  }
  return out;
}
