// Runtimes told only by the inner buildpack's staging log (`-----> Installing node 20.11.1`, libbuildpack's line), for
// when no file of the runtime was found: a php or httpd shipped without its headers, say.
import { makeComponent, runtimeCpe } from '../../../model/index.ts';
import type { Component } from '../../../model/index.ts';

/** Dependency names the Cloud Foundry buildpacks' manifest.yml use → the runtime names of src/model/cpe.ts. */
export const INSTALL_NAMES: Readonly<Record<string, string>> = {
  node: 'node',
  python: 'python',
  ruby: 'ruby',
  php: 'php',
  httpd: 'httpd',
  nginx: 'nginx',
  go: 'go',
  'dotnet-runtime': 'dotnet-runtime',
  'dotnet-aspnetcore': 'aspnetcore-runtime',
};

/** The log line a runtime was found by: it is the component's location (source `install-log`). */
export const installLine = (name: string, version: string): string => `-----> Installing ${name} ${version}`;

/**
 * A runtime component for each install line naming a runtime of which `found` has no component (by name, any
 * version): the files tell when they are there. Located at the log line, source `install-log`, with its CPE.
 */
export function runtimesFromInstalls(installs: ReadonlyArray<{ name: string; version: string }>, found: readonly Component[]): Component[] {
  const have = new Set(found.filter((c) => c.kind === 'runtime').map((c) => c.name));
  const out = new Map<string, Component>();
  for (const i of installs) {
    const name = Object.hasOwn(INSTALL_NAMES, i.name) ? INSTALL_NAMES[i.name]! : undefined;
    const version = i.version.replace(/^v(?=\d)/, '');
    if (!name || !version || have.has(name)) continue;
    const cpe = runtimeCpe(name, version);
    const c = makeComponent({
      ecosystem: 'generic',
      name,
      version,
      kind: 'runtime',
      location: { path: installLine(i.name, i.version), source: 'install-log' },
      ...(cpe ? { cpe } : {}),
    });
    if (!out.has(c.purl)) out.set(c.purl, c);
  }
  return [...out.values()];
}
