// gradle.lockfile (https://docs.gradle.org/current/userguide/dependency_locking.html): `group:artifact:version=conf1,conf2`, `empty=…`.
import type { Component, Issue, Scope } from '../../../model/index.ts';
import { makeComponent } from '../../../model/index.ts';

/** Configurations whose contents ship with the app. `compile` is the pre-Gradle-7 name (and JabRef's own). */
const SHIPPED = new Set(['runtimeClasspath', 'runtime', 'compile', 'default', 'implementation', 'api', 'runtimeOnly', 'runtimeElements']);
/** Source sets that never ship: `testRuntimeClasspath`, `jmhRuntimeClasspath`, `integrationTestRuntimeClasspath`… */
const NOT_SHIPPED_PREFIX = /^(test|jmh|integrationTest|functionalTest|androidTest|unitTest|benchmark|intTest|e2e)/i;

/**
 * required: on a runtime classpath (`runtimeClasspath`, `releaseRuntimeClasspath`…) of a non-test source set;
 * dev: everything else — test*, compileOnly (on compileClasspath only), annotationProcessor, and build tooling
 * (checkstyle, jacoco, antlr…), none of which reach the built application.
 */
export function gradleScope(confs: string[]): Scope {
  for (const c of confs) {
    if (SHIPPED.has(c)) return 'required';
    if (/RuntimeClasspath$/.test(c) && !NOT_SHIPPED_PREFIX.test(c)) return 'required';
  }
  return 'dev';
}

export function parseGradleLockfile(text: string, path: string, includeDev: boolean): { components: Component[]; issues: Issue[] } {
  const components: Component[] = [];
  const issues: Issue[] = [];
  const seen = new Set<string>();
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const t = lines[i].trim();
    if (!t || t.startsWith('#') || t.startsWith('empty=')) continue;
    // org.yaml:snakeyaml:1.30=compile,compileClasspath,runtimeClasspath → org.yaml:snakeyaml 1.30 [compile, …]
    const m = /^([^:=\s]+):([^:=\s]+):([^:=\s]+)=(.*)$/.exec(t);
    if (!m) {
      issues.push({
        path,
        line: i + 1,
        severity: 'warning',
        message: `not a "group:artifact:version=configurations" line: ${t.slice(0, 100)}`,
      });
      continue;
    }
    const confs = m[4]
      .split(',')
      .map((c) => c.trim())
      .filter(Boolean);
    const scope = gradleScope(confs);
    if (scope === 'dev' && !includeDev) continue;
    const name = `${m[1]}:${m[2]}`;
    if (seen.has(`${name}@${m[3]}`)) continue;
    seen.add(`${name}@${m[3]}`);
    components.push(makeComponent({ ecosystem: 'maven', name, version: m[3], location: { path, line: i + 1, source: 'lockfile' }, scope }));
  }
  return { components, issues };
}
