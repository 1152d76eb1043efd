// Installed npm trees: `node_modules/**/package.json` (https://docs.npmjs.com/cli/v10/configuring-npm/package-json).
import type { Issue } from '../../../model/index.ts';
import { licenseRaws, packageJsonOrIssue, str, stringArray } from '../../node-modules.ts';
import { type NpmEntry, runtimeDepNames } from './package.ts';

/** One installed package.json; undefined (with an issue) when it is not valid JSON or names no package. */
export function parseInstalled(text: string, path: string, installPath: string, issues: Issue[]): NpmEntry | undefined {
  const p = packageJsonOrIssue(text, path, issues, { what: 'installed package.json', severity: 'error', notObject: 'an object' });
  if (!p) return undefined;
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
    deps: runtimeDepNames({
      dependencies: p.dependencies,
      optionalDependencies: p.optionalDependencies,
      peerDependencies: p.peerDependencies,
    }),
    workspace: false,
    os: stringArray(p.os),
    cpu: stringArray(p.cpu),
    libc: stringArray(p.libc),
    location: { path, line: 1, source: 'installed' },
  };
}
