// Python (PyPI): requirements files, Pipfile.lock, poetry.lock, uv.lock, pdm.lock, pylock.toml and installed site-packages. See README.md.
import { byKind } from '../../declare.ts';
import type { PackageManager } from '../../types.ts';
import { catalog } from './catalog.ts';

export { parseRequirementsText, parseRequirementsTree, logicalLines, pinOf, nameFromUrl } from './parse-requirements.ts';
export type { RequirementEntry, RequirementsResult } from './parse-requirements.ts';
export { parsePipfileLock } from './parse-pipfile-lock.ts';
export { parsePoetryLock } from './parse-poetry-lock.ts';
export { parseUvLock } from './parse-uv-lock.ts';
export { parsePdmLock } from './parse-pdm-lock.ts';
export { parsePylock } from './parse-pylock.ts';
export { parseMetadata } from './parse-metadata.ts';
export { readPyproject } from './pyproject.ts';
export { mayApplyOnLinux } from './markers.ts';
export { normaliseName } from './package.ts';

/** Files inside installed packages or node_modules are the packages' own, not the app's. */
const FOREIGN = /(^|\/)(site-packages|dist-packages|node_modules)\//;

export const python: PackageManager = {
  id: 'python',
  ecosystem: 'pypi',
  description:
    'Python packages from requirements*.txt (with -r/-c), Pipfile.lock, poetry.lock, uv.lock, pdm.lock, pylock.toml and installed *.dist-info/*.egg-info under site-packages.',
  ...byKind(
    {
      /**
       * Installed distributions in a site-packages folder, or at the top of the scanned root when that root is the
       * site-packages folder itself (`bpx sbom .venv/lib/python3.12/site-packages`): `Flask-3.0.3.dist-info/METADATA`.
       */
      installed: /(^|\/)(site|dist)-packages\/[^/]+\.(dist-info\/METADATA|egg-info\/PKG-INFO|egg-info)$|^[^/]+\.(dist-info\/METADATA|egg-info\/PKG-INFO|egg-info)$/,
      /** requirements.txt, requirements-dev.txt, requirements/base.txt */
      requirements: { match: /(^|\/)(requirements[^/]*\.txt|requirements\/[^/]+\.txt)$/, not: FOREIGN },
      /** Pipfile.lock, poetry.lock, uv.lock, pdm.lock, pylock.toml and pylock.<name>.toml (PEP 751) */
      lockfile: { match: /(^|\/)(Pipfile\.lock|poetry\.lock|uv\.lock|pdm\.lock|pylock(\.[^/]+)?\.toml)$/, not: FOREIGN },
    },
    catalog,
  ),
};
