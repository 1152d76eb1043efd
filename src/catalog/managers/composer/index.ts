// Composer (PHP, Packagist): composer.lock and vendor/composer/installed.json. See README.md.
import type { PackageManager } from '../../types.ts';
import { matchesComposer, scanComposer } from './scan.ts';

export { parseComposerLock } from './parse-composer-lock.ts';
export { parseInstalledJson } from './parse-installed-json.ts';

export const composer: PackageManager = {
  id: 'composer',
  ecosystem: 'composer',
  description: 'PHP packages from composer.lock (packages, packages-dev) and vendor/composer/installed.json (Composer 1 and 2).',
  matches: matchesComposer,
  parse: scanComposer,
};
