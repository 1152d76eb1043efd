// Bad input for the python parsers: every cut and splice of real corpus files, and junk, must return, never throw.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { corpusDir } from '../../corpus.ts';
import { throwsOnMangled, type MangleCase } from '../../mangle.ts';
import { parsePipfileLock } from '../../../../src/catalog/managers/python/parse-pipfile-lock.ts';
import { parsePoetryLock } from '../../../../src/catalog/managers/python/parse-poetry-lock.ts';
import { parseUvLock } from '../../../../src/catalog/managers/python/parse-uv-lock.ts';
import { parsePdmLock } from '../../../../src/catalog/managers/python/parse-pdm-lock.ts';
import { parsePylock } from '../../../../src/catalog/managers/python/parse-pylock.ts';
import { parseRequirementsText } from '../../../../src/catalog/managers/python/parse-requirements.ts';
import { readPyproject } from '../../../../src/catalog/managers/python/pyproject.ts';
import { parseMetadata } from '../../../../src/catalog/managers/python/parse-metadata.ts';
import { needShared } from '../../../shared.ts';

const CASES: MangleCase[] = [
  ['pipenv/pypa-pipenv/root/Pipfile.lock', (t) => parsePipfileLock(t, 'f')],
  ['poetry/python-poetry-poetry/lock-1.1/poetry.lock', (t) => parsePoetryLock(t, 'f')],
  ['uv/pallets-flask/uv.lock', (t) => parseUvLock(t, 'f')],
  ['pdm/pdm-project-pdm/lock-4.1/pdm.lock', (t) => parsePdmLock(t, 'f')],
  ['pipenv/pypa-pipenv/root/pylock.toml', (t) => parsePylock(t, 'f')],
  ['pip/pypa-warehouse/requirements/main.txt', (t) => parseRequirementsText(t, 'f')],
  ['poetry/python-poetry-poetry/lock-2.0/pyproject.toml', (t) => readPyproject(t, 'f')],
  ['pipenv/pypa-pipenv/root/Pipfile.lock', (t) => parseMetadata(t, 'f')],
];

test('truncated, spliced and junk inputs never throw', () => {
  if (!needShared(corpusDir)) return;
  assert.equal(throwsOnMangled(CASES, 29), []);
});

test.run();
