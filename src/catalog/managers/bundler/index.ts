// Bundler (RubyGems): Gemfile.lock with the Gemfile's groups, and installed specifications/*.gemspec. See README.md.
import { byKind } from '../../declare.ts';
import type { PackageManager } from '../../types.ts';

const FOREIGN = /(^|\/)node_modules\//;

export const bundler: PackageManager = {
  id: 'bundler',
  ecosystem: 'gem',
  description:
    'Ruby gems from Gemfile.lock (GEM, GIT, PATH, platforms, CHECKSUMS; dev scope from the Gemfile groups) and installed specifications/*.gemspec.',
  ...byKind(
    {
      lockfile: { match: /(^|\/)(Gemfile\.lock|gems\.locked)$/, not: FOREIGN },
      /** vendor/bundle/ruby/3.2.0/specifications/rack-2.2.3.gemspec, …/gems/3.2.0/specifications/default/json-2.6.3.gemspec */
      gemspec: { match: /(^|\/)specifications\/(default\/)?[^/]+\.gemspec$/, not: FOREIGN },
    },
    () => import('./catalog.ts'),
  ),
};
