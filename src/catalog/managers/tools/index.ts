// Tools buildpacks install beside the runtimes: npm tarballs in deps/<idx>/<dir> (yarn, pnpm), composer.phar, the JRE's tools. See README.md.
import { byKind } from '../../declare.ts';
import type { PackageManager } from '../../types.ts';
import { COMPOSER_PHAR, JRE_TOOL, NPM_TARBALL } from './rules.ts';

export const tools: PackageManager = {
  id: 'tools',
  ecosystem: 'generic',
  description:
    "Tools buildpacks install beside the runtimes: npm packages extracted into deps/<idx>/<dir> (yarn, pnpm), composer.phar, the JRE's jvmkill and memory calculator.",
  ...byKind(
    {
      npmTarball: NPM_TARBALL,
      composerPhar: { match: COMPOSER_PHAR, not: /(^|\/)node_modules\// },
      jreTool: { match: JRE_TOOL, not: /(^|\/)node_modules\//, name: /^(jvmkill|java-buildpack-memory-calculator)-/ },
    },
    () => import('./catalog.ts'),
  ),
};
