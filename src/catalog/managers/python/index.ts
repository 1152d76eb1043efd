// Python (PyPI): requirements files, Pipfile.lock, poetry.lock, uv.lock, pdm.lock, pylock.toml and installed site-packages. See README.md.
import type { PackageManager } from '../../types.ts';
import { matchesPython, scanPython } from './scan.ts';

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

export const python: PackageManager = {
  id: 'python',
  ecosystem: 'pypi',
  description:
    'Python packages from requirements*.txt (with -r/-c), Pipfile.lock, poetry.lock, uv.lock, pdm.lock, pylock.toml and installed *.dist-info/*.egg-info under site-packages.',
  matches: matchesPython,
  parse: scanPython,
};
