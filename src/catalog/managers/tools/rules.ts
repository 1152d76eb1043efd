// Tools a buildpack installs beside the runtimes (yarn, pnpm, composer.phar, the JRE's jvmkill and memory calculator), told by the files they carry.
import type { Ecosystem } from '../../../model/index.ts';

/**
 * An npm package a buildpack extracted straight into its deps folder, e.g. the nodejs buildpack's
 * `deps/0/yarn/package.json` (InstallOnlyVersion("yarn", deps/<idx>/yarn)) or a pnpm tarball. The app's own
 * `deps/<idx>/node_modules` is the npm manager's; dot-folders are not packages.
 * `deps/0/yarn/package.json` → yes; `deps/0/node_modules/package.json`, `deps/0/yarn/lib/package.json` → no.
 */
export const NPM_TARBALL = /^deps\/[^/]+\/(?!node_modules\/)[^/.][^/]*\/package\.json$/;

/** The php buildpack's Composer, `app/php/bin/composer.phar` (a phar, stored uncompressed). Not inside node_modules. */
export const COMPOSER_PHAR = /(^|\/)composer\.phar$/;

/**
 * Binaries the java buildpack puts in the JRE's bin folder, versioned by file name:
 * `.java-buildpack/open_jdk_jre/bin/jvmkill-1.17.0_RELEASE` → jvmkill 1.17.0,
 * `deps/0/jre/bin/jvmkill-1.16.0.so` → jvmkill 1.16.0,
 * `.java-buildpack/open_jdk_jre/bin/java-buildpack-memory-calculator-3.13.0_RELEASE` → 3.13.0.
 */
export const JRE_TOOL = /(^|\/)bin\/(jvmkill|java-buildpack-memory-calculator)-(\d+\.\d+\.\d+)(?:_RELEASE)?(?:\.so)?$/;

const FOREIGN = /(^|\/)node_modules\//;

/** Which of the rules reads `path`; cheap: it runs on every file of the tree. */
export function toolRuleFor(path: string): 'npm-tarball' | 'composer-phar' | 'jre-tool' | undefined {
  if (path.endsWith('/package.json')) return path.startsWith('deps/') && NPM_TARBALL.test(path) ? 'npm-tarball' : undefined;
  if (path.endsWith('composer.phar')) return COMPOSER_PHAR.test(path) && !FOREIGN.test(path) ? 'composer-phar' : undefined;
  if (path.includes('/bin/j') || path.startsWith('bin/j')) return JRE_TOOL.test(path) && !FOREIGN.test(path) ? 'jre-tool' : undefined;
  return undefined;
}

/**
 * Composer's own version in composer.phar: the compiler writes it into src/Composer/Composer.php,
 * `class Composer extends PartialComposer\n{\npublic const VERSION = '2.7.7';` (1.x: `class Composer\n{\nconst VERSION = '1.10.26';`).
 */
export function composerPharVersion(text: string): string | undefined {
  return /class Composer\b[^{]{0,200}\{\s*(?:public\s+)?const VERSION\s*=\s*'([^'\s]+)'/.exec(text)?.[1];
}

/**
 * Tools buildpacks install (or runtimes bundle), by the name buildpack logs and detect tags use, and the package
 * capture reports each as. Detect uses it to find a tool's shipped version and to tell that a logged install
 * of one of these that capture did not find went to a staging-only folder.
 */
export const BUILDPACK_TOOLS: Readonly<Record<string, { ecosystem: Ecosystem; name: string }>> = {
  npm: { ecosystem: 'npm', name: 'npm' },
  corepack: { ecosystem: 'npm', name: 'corepack' },
  yarn: { ecosystem: 'npm', name: 'yarn' },
  pnpm: { ecosystem: 'npm', name: 'pnpm' },
  bundler: { ecosystem: 'gem', name: 'bundler' },
  pip: { ecosystem: 'pypi', name: 'pip' },
  pipenv: { ecosystem: 'pypi', name: 'pipenv' },
  setuptools: { ecosystem: 'pypi', name: 'setuptools' },
  poetry: { ecosystem: 'pypi', name: 'poetry' },
  uv: { ecosystem: 'pypi', name: 'uv' },
  composer: { ecosystem: 'composer', name: 'composer/composer' },
  jvmkill: { ecosystem: 'generic', name: 'jvmkill' },
  'java-buildpack-memory-calculator': { ecosystem: 'generic', name: 'java-buildpack-memory-calculator' },
};
