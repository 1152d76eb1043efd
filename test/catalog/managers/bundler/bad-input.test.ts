// Bad input for the bundler parsers: every cut and splice of real corpus files, and junk, must return, never throw.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { corpusDir } from '../../corpus.ts';
import { throwsOnMangled, type MangleCase } from '../../mangle.ts';
import { gemfileGroups } from '../../../../src/catalog/managers/bundler/parse-gemfile.ts';
import { gemfileLockComponents, parseGemfileLock } from '../../../../src/catalog/managers/bundler/parse-gemfile-lock.ts';
import { parseGemspec } from '../../../../src/catalog/managers/bundler/parse-gemspec.ts';
import { needShared } from '../../../shared.ts';

const CASES: MangleCase[] = [
  ['bundler/rails-rails/2021-git-sections/Gemfile.lock', (t) => gemfileLockComponents(parseGemfileLock(t, 'f'), 'f')],
  ['bundler/rails-rails/2021-git-sections/Gemfile', (t) => gemfileGroups(t)],
  ['bundler/rails-rails/head-checksums/Gemfile.lock', (t) => parseGemspec(t, 'specifications/x-1.gemspec')],
];

test('truncated, spliced and junk inputs never throw', () => {
  if (!needShared(corpusDir)) return;
  assert.equal(throwsOnMangled(CASES, 61), []);
});

test.run();
