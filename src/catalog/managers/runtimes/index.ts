// Runtimes the buildpacks installed (node, python, ruby, JDK/JRE, go, .NET, php, httpd, nginx), read from their files. See README.md.
import { makeComponent } from '../../../model/index.ts';
import type { Component, Issue } from '../../../model/index.ts';
import type { PackageManager, ParseResult } from '../../types.ts';
import { RULES, ruleFor } from './detect.ts';

export { RULES, ruleFor } from './detect.ts';

export const runtimes: PackageManager = {
  id: 'runtimes',
  ecosystem: 'generic',
  description: 'Runtimes under deps/ (and app/): node, python, ruby, JDK/JRE, go, .NET, php, httpd, nginx, from files they carry.',
  matches: (p) => ruleFor(p) !== undefined,
  async parse(paths, ctx): Promise<ParseResult> {
    const issues: Issue[] = [];
    const byPurl = new Map<string, Component>();
    for (const p of paths) {
      const rule = ruleFor(p);
      if (!rule) continue;
      let text: string;
      try {
        // latin1 keeps a binary's bytes one-to-one, so a version string inside it is found by a plain regex
        text = rule.binary ? (await ctx.read(p)).toString('latin1') : await ctx.readText(p);
      } catch (err) {
        issues.push({ path: p, severity: 'warning', message: `cannot read: ${(err as Error).message}` });
        continue;
      }
      // the JDK `release` file: only a `release` that names JAVA_VERSION is one; any other file of that name is ignored
      if (rule.name === 'java' && !/^JAVA_VERSION=/m.test(text)) continue;
      const version = rule.version(text, p);
      if (!version) {
        issues.push({ path: p, severity: 'warning', message: `${rule.name}: no version found in this file` });
        continue;
      }
      let name = rule.name;
      if (name === 'java') name = ctx.has(p.replace(/release$/, 'bin/javac')) ? 'jdk' : 'jre';
      const c = makeComponent({ ecosystem: 'generic', name, version, kind: 'runtime', location: { path: p, source: 'runtime' } });
      const seen = byPurl.get(c.purl);
      if (seen) seen.locations.push(...c.locations);
      else byPurl.set(c.purl, c);
    }
    return { components: [...byPurl.values()], issues };
  },
};

/** The runtime names this manager knows, for the docs. */
export const runtimeNames = RULES.map((r) => r.name);
