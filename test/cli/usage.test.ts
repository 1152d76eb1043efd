// The command line's own surface: `bpx help <command>`, bpx's wording for bad
// options instead of node:util parseArgs' text, and one spelling (-o/--output) for every command that writes a file.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { commands } from '../../src/cli/commands/index.ts';
import { cli, tempDir } from './helpers.ts';

const NAMES = Object.keys(commands);
/** commands with plain options (phase passes the builder's argv through; fleet has subcommands with their own) */
const PLAIN = NAMES.filter((n) => n !== 'phase' && n !== 'fleet');
/** node:util parseArgs' own words, which must never reach a user */
const NODE_TEXT =
  /To specify a positional|Unknown option '|argument missing|argument is ambiguous|does not take an argument|Unexpected argument '/;

test('bpx help <command> prints exactly what bpx <command> --help prints, exit 0', async () => {
  for (const name of NAMES) {
    const viaHelp = await cli(['help', name]);
    const viaFlag = await cli([name, '--help']);
    assert.is(viaHelp.code, 0, name);
    assert.is(viaHelp.err, '', name);
    assert.ok(viaHelp.out.startsWith(`Usage: bpx ${name}`), `${name}: ${viaHelp.out.slice(0, 80)}`);
    assert.is(viaHelp.out, viaFlag.out, name);
  }
  const top = await cli(['help']);
  assert.is(top.code, 0);
  assert.match(top.out, /^Usage: bpx <command>/);
  for (const name of NAMES) assert.match(top.out, new RegExp(`\\n  ${name} `), `the list names ${name}`);
  assert.match(top.out, /bpx help <command>/);
});

test('bpx help with an unknown command is a usage error: one line, exit 2, nothing on stdout', async () => {
  const r = await cli(['help', 'nosuch']);
  assert.is(r.code, 2);
  assert.is(r.out, '');
  assert.is(r.err, "bpx: unknown command 'nosuch' (run bpx --help for the list)\n");
  const near = await cli(['help', 'scna']);
  assert.is(near.code, 2);
  assert.is(near.err, "bpx: unknown command 'scna' (did you mean scan?; run bpx --help for the list)\n");
  // names that are properties of every object are not commands
  for (const odd of ['constructor', 'toString', '__proto__']) {
    const o = await cli(['help', odd]);
    assert.is(o.code, 2, odd);
    const p = await cli([odd]);
    assert.is(p.code, 2, odd);
    assert.not.match(p.err, /internal error/, odd);
  }
  const two = await cli(['help', 'scan', 'query']);
  assert.is(two.code, 2);
  assert.match(two.err, /^bpx help: give one command/);
});

test("unknown options, missing values and stray arguments are bpx's own one-line usage errors, exit 2", async () => {
  for (const name of PLAIN) {
    const r = await cli([name, '--bogus-option']);
    assert.is(r.code, 2, `${name}: ${r.err}`);
    assert.is(r.err, `bpx ${name}: unknown option --bogus-option (run bpx ${name} --help)\n`, name);
    assert.not.match(r.err, NODE_TEXT, name);
  }
  const cases: Array<[string[], string]> = [
    [['scan', '--x'], 'bpx scan: unknown option --x (run bpx scan --help)'],
    [['scan', '-x'], 'bpx scan: unknown option -x (run bpx scan --help)'],
    [['scan', 'a', '--dbb', 'db'], 'bpx scan: unknown option --dbb (did you mean --db?; run bpx scan --help)'],
    [['scan', 'a', '--requ'], 'bpx scan: unknown option --requ (did you mean --require-signature?; run bpx scan --help)'],
    [['scan', 'a', '--db'], 'bpx scan: --db needs a value (run bpx scan --help)'],
    [
      ['scan', 'a', '--db', '--json'],
      'bpx scan: --db needs a value (write --db=VALUE for a value that starts with -; run bpx scan --help)',
    ],
    [['scan', 'a', '--json=yes'], 'bpx scan: --json takes no value (run bpx scan --help)'],
    [['wrap', 'bp', '-o'], 'bpx wrap: -o/--output needs a value (run bpx wrap --help)'],
    [['wrap', 'bp', '--manifest'], 'bpx wrap: -m/--manifest needs a value (run bpx wrap --help)'],
    [['keygen', 'stray'], "bpx keygen: unexpected argument 'stray' (this command takes options only; run bpx keygen --help)"],
    [['keygen', '--outptu', 'k'], 'bpx keygen: unknown option --outptu (did you mean --output?; run bpx keygen --help)'],
    [['stage', '--ouput', 'x'], 'bpx stage: unknown option --ouput (did you mean --output?; run bpx stage --help)'],
    [['serve-signer', '--key'], 'bpx serve-signer: --key needs a value (run bpx serve-signer --help)'],
    [['serve-signer'], 'bpx serve-signer: --key KEY.pem is required (run bpx serve-signer --help)'],
    [['scan', 'a', '--x\u001b[2J'], 'bpx scan: unknown option --x\\x1b[2J (run bpx scan --help)'],
    [['scna'], "bpx: unknown command 'scna' (did you mean scan?; run bpx --help for the list)"],
  ];
  for (const [argv, line] of cases) {
    const r = await cli(argv);
    assert.is(r.code, 2, `${argv.join(' ')}: ${r.err}`);
    assert.is(r.err, `${line}\n`, argv.join(' '));
    assert.is(r.out, '', argv.join(' '));
  }
  const phase = await cli(['phase', '--wrapper']);
  assert.is(phase.code, 2);
  assert.is(phase.err, 'bpx phase: --wrapper needs a DIR, the wrapped buildpack (run bpx phase --help)\n');
});

/** The commands that write files, and the usage line each shows. */
const WRITERS = ['wrap', 'stage', 'sbom', 'keygen', 'db'];

test('every command that writes a file takes -o/--output and lists it in its --help; old spellings are hidden aliases', async () => {
  for (const name of PLAIN) {
    const help = (await cli([name, '--help'])).out;
    if (WRITERS.includes(name)) {
      assert.match(help, /^\s+-o, --output [A-Z]+ /m, `${name} --help lists -o, --output`);
      assert.match(help.split('\n')[0]!, /[ [](-o|-o\|--output) [A-Z]+/, `${name}'s usage line shows -o`);
      assert.not.match(help, /--out\b(?!put)/, `${name} --help does not advertise --out`);
    } else {
      assert.not.match(help, /--output\b/, `${name} writes no file and takes no --output`);
    }
  }
  const dir = tempDir();
  mkdirSync(join(dir, 'app'));
  writeFileSync(
    join(dir, 'app', 'package-lock.json'),
    JSON.stringify({
      name: 'a',
      version: '1.0.0',
      lockfileVersion: 3,
      packages: { '': { name: 'a' }, 'node_modules/left-pad': { version: '1.3.0' } },
    }),
  );
  // both spellings write (and keygen's old --out still does)
  for (const [i, flag] of ['-o', '--output'].entries()) {
    const s = await cli(['sbom', 'app', flag, `sbom${i}.json`], dir);
    assert.is(s.code, 0, s.err);
    assert.ok(existsSync(join(dir, `sbom${i}.json`)), `sbom ${flag}`);
  }
  for (const [i, flag] of ['-o', '--output', '--out'].entries()) {
    const k = await cli(['keygen', flag, `k${i}`], dir);
    assert.is(k.code, 0, k.err);
    assert.ok(existsSync(join(dir, `k${i}.key`)) && existsSync(join(dir, `k${i}.pub`)), `keygen ${flag}`);
  }
  // stage and wrap accept every spelling (the error is then about the missing input, not the flag)
  for (const flag of ['-o', '--output', '--out']) {
    const st = await cli(['stage', '--app', 'nosuch', '--buildpack', 'nosuch', flag, 'staged'], dir);
    assert.is(st.code, 2, st.err);
    assert.match(st.err, /^bpx stage: --app nosuch: not a folder\n$/, flag);
    assert.not.ok(existsSync(join(dir, 'staged')), 'a usage error creates no output folder');
  }
  for (const flag of ['-o', '--output']) {
    const w = await cli(['wrap', 'nosuch', '--manifest', 'nosuch.yml', flag, 'w'], dir);
    assert.is(w.code, 1, w.err);
    assert.match(w.err, /nosuch\.yml.*file not found/, flag);
    assert.not.ok(existsSync(join(dir, 'w')));
  }
  // the hidden alias is never offered as a did-you-mean
  const typo = await cli(['stage', '--outpt', 'x'], dir);
  assert.is(typo.err, 'bpx stage: unknown option --outpt (did you mean --output?; run bpx stage --help)\n');
});

test.run();
