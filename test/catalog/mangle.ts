// Bad-input helper for parser tests: every cut and splice of a real corpus file, plus junk, must return, never throw.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { corpusDir } from './corpus.ts';

export type MangleCase = [corpusPath: string, parse: (text: string) => unknown];

export const JUNK = [
  '',
  '\u0000',
  '[]',
  '{}',
  'null',
  '42',
  '"x"',
  '[[package]]\n',
  '{"packages": 5}',
  '{"packages": [null, 1, {"name": 5}]}',
  '{"default": {"a": null, "b": {"version": 5}}}',
  'GEM\n  specs:\n      orphan (1)\n',
];

/**
 * Feeds each parser the junk inputs and, for `cuts` places in its corpus file, the head, the tail and the file with
 * five bytes there replaced by NUL/U+FFFF/brackets. Returns one line per input that made the parser throw.
 */
export function throwsOnMangled(cases: readonly MangleCase[], cuts: number): string[] {
  const thrown: string[] = [];
  for (const [rel, parse] of cases) {
    const text = readFileSync(path.join(corpusDir!, 'lockfiles', rel), 'utf8');
    const step = Math.max(1, Math.floor(text.length / cuts));
    const inputs = [...JUNK];
    for (let cut = 0; cut < text.length; cut += step)
      inputs.push(text.slice(0, cut), text.slice(cut), text.slice(0, cut) + '\u0000\uffff{[' + text.slice(cut + 5));
    for (const input of inputs) {
      try {
        parse(input);
      } catch (err) {
        thrown.push(`${rel} (${input.length} chars): ${(err as Error).message}`);
      }
    }
  }
  return thrown;
}
