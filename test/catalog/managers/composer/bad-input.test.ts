// Bad input for the composer parsers: every cut and splice of real corpus files, and junk, must return, never throw.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { corpusDir } from '../../corpus.ts';
import { parseComposerLock, parseInstalledJson } from '../../../../src/catalog/managers/composer/index.ts';

const CASES: [string, (text: string) => unknown][] = [
  ['composer/symfony-demo/head/composer.lock', (t) => parseComposerLock(t, 'f')],
  ['composer/symfony-demo/2018-symfony-4.1/composer.lock', (t) => parseInstalledJson(t, 'f')],
];
const JUNK = ['', '\u0000', '[]', '{}', 'null', '42', '"x"', '[[package]]\n', '{"packages": 5}', '{"packages": [null, 1, {"name": 5}]}', '{"default": {"a": null, "b": {"version": 5}}}', 'GEM\n  specs:\n      orphan (1)\n'];

test('truncated, spliced and junk inputs never throw', () => {
  if (!corpusDir) return console.log('skip: ../shared/corpus absent');
  const thrown: string[] = [];
  for (const [rel, parse] of CASES) {
    const text = readFileSync(path.join(corpusDir, 'lockfiles', rel), 'utf8');
    const step = Math.max(1, Math.floor(text.length / 61));
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
