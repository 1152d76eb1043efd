// Bad input for the python parsers: every cut and splice of real corpus files, and junk, must return, never throw.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { corpusDir } from '../../corpus.ts';
import { parsePipfileLock, parsePoetryLock, parseUvLock, parsePdmLock, parsePylock, parseRequirementsText, readPyproject, parseMetadata } from '../../../../src/catalog/managers/python/index.ts';

const CASES: [string, (text: string) => unknown][] = [
  ['pipenv/pypa-pipenv/root/Pipfile.lock', (t) => parsePipfileLock(t, 'f')],
  ['poetry/python-poetry-poetry/lock-1.1/poetry.lock', (t) => parsePoetryLock(t, 'f')],
  ['uv/pallets-flask/uv.lock', (t) => parseUvLock(t, 'f')],
  ['pdm/pdm-project-pdm/lock-4.1/pdm.lock', (t) => parsePdmLock(t, 'f')],
  ['pipenv/pypa-pipenv/root/pylock.toml', (t) => parsePylock(t, 'f')],
  ['pip/pypa-warehouse/requirements/main.txt', (t) => parseRequirementsText(t, 'f')],
  ['poetry/python-poetry-poetry/lock-2.0/pyproject.toml', (t) => readPyproject(t, 'f')],
  ['pipenv/pypa-pipenv/root/Pipfile.lock', (t) => parseMetadata(t, 'f')],
];
const JUNK = ['', '\u0000', '[]', '{}', 'null', '42', '"x"', '[[package]]\n', '{"packages": 5}', '{"packages": [null, 1, {"name": 5}]}', '{"default": {"a": null, "b": {"version": 5}}}', 'GEM\n  specs:\n      orphan (1)\n'];

test('truncated, spliced and junk inputs never throw', () => {
  if (!corpusDir) return console.log('skip: ../shared/corpus absent');
  const thrown: string[] = [];
  for (const [rel, parse] of CASES) {
    const text = readFileSync(path.join(corpusDir, 'lockfiles', rel), 'utf8');
    const step = Math.max(1, Math.floor(text.length / 29));
    const inputs = [...JUNK];
    for (let cut = 0; cut < text.length; cut += step) inputs.push(text.slice(0, cut), text.slice(cut), text.slice(0, cut) + '\u0000\uffff{[' + text.slice(cut + 5));
    for (const input of inputs) {
      try {
        parse(input);
      } catch (err) {
        thrown.push(`${rel} (${input.length} chars): ${(err as Error).message}`);
      }
    }
  }
  assert.equal(thrown, []);
});

test.run();
