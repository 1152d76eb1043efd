// Runtimes capture: each matched file's rule reads the version; one component per runtime and version, with every file that names it.
import { makeComponent, runtimeCpe } from '../../../model/index.ts';
import type { Component, Issue } from '../../../model/index.ts';
import { readBytesOrIssue, readOrIssue } from '../../read-or-issue.ts';
import type { MatchedFiles, ParseResult, ScanContext } from '../../types.ts';
import { type RuntimeRule, ruleFor } from './detect.ts';

/** The file's text as its rule reads it: latin1 keeps a binary's bytes one-to-one, so a version string inside it is found by a plain regex. */
async function readFor(rule: RuntimeRule, ctx: ScanContext, p: string, issues: Issue[]): Promise<string | undefined> {
  if (!rule.binary) return readOrIssue(ctx, p, issues, 'warning');
  return (await readBytesOrIssue(ctx, p, issues, 'warning'))?.toString('latin1');
}

/**
 * An Oracle JDK/JRE `release` file: `BUILD_TYPE="commercial"` (Oracle's own builds write it), or, in a file older than
 * IMPLEMENTOR, no mention of OpenJDK. OpenJDK builds (Temurin, Liberica, Corretto, jdk.java.net) write no BUILD_TYPE.
 */
function isOracleBuild(release: string): boolean {
  if (/^BUILD_TYPE="?commercial"?\s*$/m.test(release)) return true;
  return !/^IMPLEMENTOR=/m.test(release) && !/OpenJDK/i.test(release);
}

export async function catalog(files: MatchedFiles<'runtime'>, ctx: ScanContext): Promise<ParseResult> {
  const issues: Issue[] = [];
  const byPurl = new Map<string, Component>();
  for (const p of files.paths) {
    const rule = ruleFor(p);
    if (!rule) continue;
    const text = await readFor(rule, ctx, p, issues);
    if (text === undefined) continue;
    // the JDK `release` file: only a `release` that names JAVA_VERSION is one; any other file of that name is ignored
    if (rule.name === 'java' && !/^JAVA_VERSION=/m.test(text)) continue;
    const version = rule.version(text, p);
    if (!version) {
      issues.push({ path: p, severity: 'warning', message: `${rule.name}: no version found in this file` });
      continue;
    }
    let name = rule.name;
    if (name === 'java') name = ctx.has(p.replace(/release$/, 'bin/javac')) ? 'jdk' : 'jre';
    // the CPE names the vendor's own build (oracle:jdk / oracle:jre) apart from OpenJDK builds (oracle:openjdk)
    const cpe = runtimeCpe(name, version, rule.name === 'java' && isOracleBuild(text));
    const c = makeComponent({
      ecosystem: 'generic',
      name,
      version,
      kind: 'runtime',
      location: { path: p, source: 'runtime' },
      ...(cpe ? { cpe } : {}),
    });
    const seen = byPurl.get(c.purl);
    if (seen) seen.locations.push(...c.locations);
    else byPurl.set(c.purl, c);
  }
  return { components: [...byPurl.values()], issues };
}
