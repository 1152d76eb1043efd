// Composer (PHP, Packagist): composer.lock and vendor/composer/installed.json. See README.md.
import { byKind } from '../../declare.ts';
import type { PackageManager } from '../../types.ts';

export const composer: PackageManager = {
  id: 'composer',
  ecosystem: 'composer',
  description: 'PHP packages from composer.lock (packages, packages-dev) and vendor/composer/installed.json (Composer 1 and 2).',
  ...byKind(
    {
      installed: /(^|\/)vendor\/composer\/installed\.json$/,
      /** not a vendored package's own composer.lock */
      lockfile: { match: /(^|\/)composer\.lock$/, not: /(^|\/)(node_modules|vendor\/[^/]+\/[^/]+)\// },
    },
    () => import('./catalog.ts'),
  ),
};
