// npm: package-lock.json (v1-v3), npm-shrinkwrap.json, node_modules/.package-lock.json and installed node_modules trees.
import type { PackageManager } from '../../types.ts';
import { parseNpm } from './parse.ts';
import { installedPath } from './parse-installed.ts';

export { parseNpm, groupProjects } from './parse.ts';
export { parsePackageLock } from './parse-package-lock.ts';
export { parseInstalled, installedPath } from './parse-installed.ts';

/** `package-lock.json`, `npm-shrinkwrap.json`, `package.json` (app manifests and installed packages), `node_modules/.package-lock.json`. */
const FILES = /(^|\/)(package-lock\.json|npm-shrinkwrap\.json|package\.json|\.package-lock\.json)$/;

export const npm: PackageManager = {
  id: 'npm',
  ecosystem: 'npm',
  description: 'npm lockfiles (v1, v2, v3, npm-shrinkwrap.json) and installed node_modules trees',
  matches(path: string): boolean {
    if (!FILES.test(path)) return false;
    if (path.endsWith('/package.json') || path === 'package.json') {
      // app manifests, or a package's own package.json in node_modules (not files deeper in a package)
      return !path.includes('node_modules/') || installedPath(path) !== undefined;
    }
    if (path.endsWith('.package-lock.json') && !path.endsWith('/.package-lock.json') && path !== '.package-lock.json') return false;
    if (path.endsWith('/.package-lock.json') || path === '.package-lock.json') return /(^|\/)node_modules\/\.package-lock\.json$/.test(path) && !/node_modules\/.*node_modules\//.test(path);
    return !path.includes('node_modules/');
  },
  parse: parseNpm,
};
