// Bundler (RubyGems): Gemfile.lock with the Gemfile's groups, and installed specifications/*.gemspec. See README.md.
import type { PackageManager } from '../../types.ts';
import { matchesBundler, scanBundler } from './scan.ts';

export { parseGemfileLock, gemfileLockComponents } from './parse-gemfile-lock.ts';
export type { GemfileLock, GemSpec } from './parse-gemfile-lock.ts';
export { gemfileGroups, onlyDevGroups } from './parse-gemfile.ts';
export { parseGemspec } from './parse-gemspec.ts';

export const bundler: PackageManager = {
  id: 'bundler',
  ecosystem: 'gem',
  description: 'Ruby gems from Gemfile.lock (GEM, GIT, PATH, platforms, CHECKSUMS; dev scope from the Gemfile groups) and installed specifications/*.gemspec.',
  matches: matchesBundler,
  parse: scanBundler,
};
