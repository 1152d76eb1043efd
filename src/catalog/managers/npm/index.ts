// npm: package-lock.json (v1-v3), npm-shrinkwrap.json, node_modules/.package-lock.json and installed node_modules trees. See README.md.
import { byKind } from '../../declare.ts';
import { INSTALLED } from '../../node-modules.ts';
import type { PackageManager } from '../../types.ts';

export const npm: PackageManager = {
  id: 'npm',
  ecosystem: 'npm',
  description: 'npm lockfiles (v1, v2, v3, npm-shrinkwrap.json) and installed node_modules trees',
  ...byKind(
    {
      /** an app's lockfile, not one an installed package carries */
      lock: { match: /(^|\/)(package-lock|npm-shrinkwrap)\.json$/, not: /node_modules\// },
      /** npm 7+'s hidden lockfile of a top-level tree: `node_modules/.package-lock.json` */
      hidden: { match: /(^|\/)node_modules\/\.package-lock\.json$/, not: /node_modules\/.*node_modules\// },
      /** an app's (or workspace's) own package.json */
      manifest: { match: /(^|\/)package\.json$/, not: /node_modules\// },
      /** a package's own package.json in node_modules, not files deeper in a package */
      installed: INSTALLED,
    },
    () => import('./catalog.ts'),
  ),
};
