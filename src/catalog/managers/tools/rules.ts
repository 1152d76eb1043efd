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
export const BUILDPACK_TOOLS: Readonly<Record<string, { ecosystem: Ecosystem; name: string }>> = byEcosystem({
  npm: ['npm', 'corepack', 'yarn', 'pnpm'],
  gem: ['bundler'],
  pypi: ['pip', 'pipenv', 'setuptools', 'poetry', 'uv'],
  composer: [['composer', 'composer/composer']],
  generic: ['jvmkill', 'java-buildpack-memory-calculator'],
});

/** `{npm: ['yarn'], composer: [['composer', 'composer/composer']]}` → `{yarn: {ecosystem: 'npm', name: 'yarn'}, composer: {…}}`: a tool is its package unless named apart. */
function byEcosystem(
  tools: Partial<Record<Ecosystem, Array<string | [tool: string, name: string]>>>,
): Record<string, { ecosystem: Ecosystem; name: string }> {
  const out: Record<string, { ecosystem: Ecosystem; name: string }> = {};
  for (const [ecosystem, list] of Object.entries(tools) as Array<[Ecosystem, Array<string | [string, string]>]>) {
    for (const t of list) {
      const [tool, name] = typeof t === 'string' ? [t, t] : t;
      out[tool] = { ecosystem, name };
    }
  }
  return out;
}
