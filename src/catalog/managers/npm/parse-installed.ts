// Installed npm trees: `node_modules/**/package.json` (https://docs.npmjs.com/cli/v10/configuring-npm/package-json).
import type { Issue } from '../../../model/index.ts';
import { jsonErrorLine } from '../../line-index.ts';
import { type NpmEntry, licenseRaws, runtimeDepNames, str, stringArray } from './package.ts';

/**
 * `deps/0/node_modules/a/node_modules/@s/b/package.json` → {base: 'deps/0', installPath: 'node_modules/a/node_modules/@s/b'}.
 * Only a package's own package.json: the folder right below node_modules (or below a scope), chained by node_modules,
 * so `node_modules/a/lib/package.json` and `node_modules/a/test/fixtures/node_modules/b/package.json` are not packages.
 * pnpm's `node_modules/.pnpm/<id>/node_modules/<name>` store is accepted as a link in the chain.
 */
const INSTALLED =
  /^((?:(?!node_modules\/)[^/]+\/)*)(node_modules\/(?:(?:@[^/.][^/]*\/)?[^/.@][^/]*|\.pnpm\/[^/]+\/node_modules\/(?:@[^/.][^/]*\/)?[^/.@][^/]*)(?:\/node_modules\/(?:@[^/.][^/]*\/)?[^/.@][^/]*)*)\/package\.json$/;

export interface InstalledPath {
  /** the folder holding the top node_modules ('' for the scanned root). */
  base: string;
  installPath: string;
}

export function installedPath(path: string): InstalledPath | undefined {
  const m = INSTALLED.exec(path);
  if (!m) return undefined;
  return { base: m[1].slice(0, -1), installPath: m[2] };
}

/** One installed package.json; undefined (with an issue) when it is not valid JSON or names no package. */
export function parseInstalled(text: string, path: string, installPath: string, issues: Issue[]): NpmEntry | undefined {
  let pkg: unknown;
  try {
    pkg = JSON.parse(text);
  } catch (err) {
    issues.push({ path, line: jsonErrorLine(text, err), severity: 'error', message: `installed package.json is not valid JSON: ${(err as Error).message}` });
    return undefined;
  }
  if (!pkg || typeof pkg !== 'object' || Array.isArray(pkg)) {
    issues.push({ path, line: 1, severity: 'error', message: 'installed package.json is not an object' });
    return undefined;
  }
  const p = pkg as Record<string, unknown>;
  const name = str(p.name);
  const version = str(p.version);
  if (!name || !version) {
    issues.push({ path, line: 1, severity: 'warning', message: `installed package.json has no ${name ? 'version' : 'name'}: skipped` });
    return undefined;
  }
  return {
    installPath,
    name,
    version,
    // npm 2-6 wrote `_development`/`_optional` into installed package.json files
    dev: p._development === true,
    optional: p._optional === true,
    devOptional: false,
    licenses: licenseRaws(p),
    integrity: str(p._integrity),
    deps: runtimeDepNames({ dependencies: p.dependencies, optionalDependencies: p.optionalDependencies, peerDependencies: p.peerDependencies }),
    workspace: false,
    os: stringArray(p.os),
    cpu: stringArray(p.cpu),
    libc: stringArray(p.libc),
    location: { path, line: 1, source: 'installed' },
  };
}
