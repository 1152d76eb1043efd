// Bad input for the composer parsers: every cut and splice of real corpus files, and junk, must return, never throw.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { corpusDir } from '../../corpus.ts';
import { throwsOnMangled, type MangleCase } from '../../mangle.ts';
import { parseComposerLock } from '../../../../src/catalog/managers/composer/parse-composer-lock.ts';
import { parseInstalledJson } from '../../../../src/catalog/managers/composer/parse-installed-json.ts';
import { needShared } from '../../../shared.ts';

const CASES: MangleCase[] = [
  ['composer/symfony-demo/head/composer.lock', (t) => parseComposerLock(t, 'f')],
  ['composer/symfony-demo/2018-symfony-4.1/composer.lock', (t) => parseInstalledJson(t, 'f')],
];

test('truncated, spliced and junk inputs never throw', () => {
  if (!needShared(corpusDir)) return;
  assert.equal(throwsOnMangled(CASES, 61), []);
});

test.run();
