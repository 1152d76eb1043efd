// yarn: yarn.lock classic (v1) and berry (v2+), with the package.json files of the project for scope. See README.md.
import { byKind } from '../../declare.ts';
import { INSTALLED } from '../../node-modules.ts';
import type { PackageManager } from '../../types.ts';

export const yarn: PackageManager = {
  id: 'yarn',
  ecosystem: 'npm',
  description: 'yarn.lock, classic v1 and berry v2+ (scope from the package.json files of the project and its workspaces)',
  ...byKind(
    {
      lock: { match: /(^|\/)yarn\.lock$/, not: /node_modules\// },
      /** the project's package.json files: beside yarn.lock and below it (workspaces) */
      manifest: { match: /(^|\/)package\.json$/, not: /node_modules\// },
      /** installed packages' own package.json: which of the lockfile's packages the installed tree holds */
      installed: INSTALLED,
    },
    () => import('./catalog.ts'),
    // the package.json files alone are another manager's (npm): without a yarn.lock there is nothing to say
    ['lock'],
  ),
};
