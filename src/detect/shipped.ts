// What a capture of the droplet (app/ and deps/) says ships, looked up by the names buildpack logs and detect tags use.
import type { Capture, Component } from '../model/index.ts';
import { RULES } from '../catalog/managers/runtimes/detect.ts';
import { BUILDPACK_TOOLS } from '../catalog/managers/tools/rules.ts';

/** Runtime names capture reports (the JDK `release` rule reports jdk or jre). */
const RUNTIME_NAMES = new Set(RULES.flatMap((r) => (r.name === 'java' ? ['jdk', 'jre'] : [r.name])));

/** The app's own dependency trees: what the app needs, not what the buildpack installed. `app/node_modules/x`, `deps/0/node_modules/x`. */
const APP_TREE = /^(app\/|deps\/[^/]+\/)?node_modules\//;

/** true when capture reports `name` whenever it ships: a runtime or one of BUILDPACK_TOOLS. */
export function capturable(name: string): boolean {
  return RUNTIME_NAMES.has(name) || Object.hasOwn(BUILDPACK_TOOLS, name);
}

function depth(c: Component): number {
  return Math.min(...c.locations.map((l) => l.path.split('/').length));
}

/**
 * The shipped components a tag `name` stands for: runtimes of that name, or the tool's package outside the app's
 * dependency trees (node's bundled npm, deps/<idx>/yarn, the buildpack's bundler…). Shallowest first: a tool
 * installed on its own sits at the top of deps/<idx>, a copy bundled inside a runtime deeper (Ruby's default bundler).
 */
export function shipped(capture: Capture, name: string): Component[] {
  const tool = Object.hasOwn(BUILDPACK_TOOLS, name) ? BUILDPACK_TOOLS[name] : undefined;
  const found = capture.components.filter((c) => {
    if (c.kind === 'runtime') return c.name === name;
    if (!tool || c.ecosystem !== tool.ecosystem || c.name.toLowerCase() !== tool.name) return false;
    return c.locations.some((l) => l.source !== 'lockfile' && l.source !== 'manifest' && !APP_TREE.test(l.path));
  });
  return found
    .map((c) => [depth(c), c] as const)
    .sort((a, b) => a[0] - b[0] || (a[1].purl < b[1].purl ? -1 : 1))
    .map(([, c]) => c);
}

/** The shipped version of `name`: the one `preferred` names when it ships, else the first shipped; undefined when none ships. */
export function shippedVersion(capture: Capture, name: string, preferred?: string): string | undefined {
  const list = shipped(capture, name);
  return (list.find((c) => c.version === preferred) ?? list[0])?.version;
}
