// Paths of the files a manager reads beside the one it matched (the Gemfile beside Gemfile.lock, composer.json beside composer.lock).
import path from 'node:path';

/** `app/composer.lock`, `composer.json` → `app/composer.json`; `composer.lock`, `composer.json` → `composer.json`. */
export function beside(file: string, name: string): string {
  const dir = path.posix.dirname(file);
  return dir === '.' ? name : `${dir}/${name}`;
}
