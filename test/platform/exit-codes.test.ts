// One exit-code table: every code a command's --help documents is in it, with the meaning the help prints.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { commands } from '../../src/cli/commands/index.ts';
import { BUILDER_EXIT, EXIT_CODES, exitCodeHelp, WRAPPER_EXIT } from '../../src/platform/exit-codes.ts';

test('every code listed under a command help is in the table', async () => {
  for (const [name, load] of Object.entries(commands)) {
    const help = (await load()).default.help;
    const section = help.split(/^Exit (?:codes|status)[^\n]*\n/m)[1];
    if (!section) continue;
    for (const m of section.matchAll(/^ {2}(\d+) +/gm)) {
      assert.ok(
        EXIT_CODES.some((e) => e.code === Number(m[1])),
        `bpx ${name} --help documents exit ${m[1]}, which the table lacks`,
      );
    }
  }
});

test('the builder and wrapper codes are the documented ones, and help lines come from the table', () => {
  assert.equal(BUILDER_EXIT, { lifecycle: 1, detect: 222, compile: 223, release: 224, supply: 225 });
  assert.equal(WRAPPER_EXIT, { extensionFailed: 86, wrapperBroken: 87 });
  assert.is(exitCodeHelp([222]), '  222  no buildpack detected the app');
  assert.is(exitCodeHelp([1], {}, 'builder'), `  1    ${EXIT_CODES.find((e) => e.code === 1 && e.by === 'builder')!.meaning}`);
  assert.throws(() => exitCodeHelp([99]), /not in the table/);
});

test.run();
