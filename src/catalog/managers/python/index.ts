// Python (PyPI): requirements files, Pipfile.lock, poetry.lock, uv.lock, pdm.lock, pylock.toml and installed site-packages. See README.md.
import { byKind } from '../../declare.ts';
import type { PackageManager } from '../../types.ts';

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
      installed:
        /(^|\/)(site|dist)-packages\/[^/]+\.(dist-info\/METADATA|egg-info\/PKG-INFO|egg-info)$|^[^/]+\.(dist-info\/METADATA|egg-info\/PKG-INFO|egg-info)$/,
      /** requirements.txt, requirements-dev.txt, requirements/base.txt */
      requirements: { match: /(^|\/)(requirements[^/]*\.txt|requirements\/[^/]+\.txt)$/, not: FOREIGN },
      /** Pipfile.lock, poetry.lock, uv.lock, pdm.lock, pylock.toml and pylock.<name>.toml (PEP 751) */
      lockfile: { match: /(^|\/)(Pipfile\.lock|poetry\.lock|uv\.lock|pdm\.lock|pylock(\.[^/]+)?\.toml)$/, not: FOREIGN },
    },
    () => import('./catalog.ts'),
  ),
};
