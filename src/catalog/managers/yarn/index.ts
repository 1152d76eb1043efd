// yarn: yarn.lock classic (v1) and berry (v2+), with the package.json files of the project for scope.
import type { PackageManager } from '../../types.ts';
import { parseYarn } from './parse.ts';

export { parseYarn, conditionsMatch } from './parse.ts';
export { parseYarnLock, splitSpecifier } from './parse-yarn-lock.ts';

export const yarn: PackageManager = {
  id: 'yarn',
  ecosystem: 'npm',
  description: 'yarn.lock, classic v1 and berry v2+ (scope from the package.json files of the project and its workspaces)',
  matches(path: string): boolean {
    if (path.includes('node_modules/')) return false;
    return path === 'yarn.lock' || path.endsWith('/yarn.lock') || path === 'package.json' || path.endsWith('/package.json');
  },
  parse: parseYarn,
};
