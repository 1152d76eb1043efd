// An app's own bpx.yml at staging: hostile or broken files are a notice, never a failed
// phase; app extensions never replace or outlive the operator's signed SBOM.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXIT_EXTENSION_FAILED } from '../../src/lifecycle/phases/run-phase.ts';
import type { BuiltinExtension, HookResult } from '../../src/lifecycle/hooks/types.ts';
import { generateKeyPair } from '../../src/sbom/sign/keys.ts';
import { verifyDroplet } from '../../src/sbom/verify.ts';
import { builtins as realBuiltins } from '../../extensions/index.ts';
import { runPhaseHere, stagingDirs, tempDir, wrapperLayout as layout, type BuiltinRegistry, type Staging } from './helpers.ts';

/** A stand-in built-in that appends "<name> <phase>:<when>" to $MARK. */
function marker(name: string): () => Promise<{ default: BuiltinExtension }> {
  return async () => ({
    default: {
      name,
      description: name,
      async run(ctx): Promise<HookResult> {
        writeFileSync(ctx.env.MARK!, `${name} ${ctx.hook.phase}:${ctx.hook.when}\n`, { flag: 'a' });
        return {};
      },
    },
  });
}

/** One phase in-process, $MARK pointing at the staging's mark file and a fixed SOURCE_DATE_EPOCH. */
const run = (wrapper: string, phase: 'detect' | 'supply' | 'finalize', s: Staging, builtins: BuiltinRegistry = {}) =>
  runPhaseHere(wrapper, phase, s, builtins, { MARK: s.mark, SOURCE_DATE_EPOCH: '1700000000' });

const marks = (s: Staging) => readFileSync(s.mark, 'utf8').split('\n').filter(Boolean);

const OPEN_AT_DETECT = `version: 1
extensions:
  - {name: op, at: [detect:after], run: [sh, -c, 'echo op >> "$MARK"']}
app: {allowExtensions: true, allowedAt: [detect:after, supply:before, finalize:after]}
`;

function bomb(): string {
  let s = 'version: 1\na: &a ["x","x","x","x","x","x","x","x","x"]\n';
  let prev = 'a';
  for (const n of 'bcdefghi') {
    s += `${n}: &${n} [${Array(9).fill(`*${prev}`).join(',')}]\n`;
    prev = n;
  }
  return s;
}

test('alias bombs, cycles, dangling aliases and YAML errors in the app bpx.yml: detection still passes, a located notice', async () => {
  const w = layout(OPEN_AT_DETECT);
  const cases: Record<string, string> = {
    bomb: bomb(),
    cycle: 'version: 1\nextensions: &a\n  - *a\n',
    dangling: 'version: 1\nextensions: *nowhere\n',
    syntax: 'version: 1\nextensions: [\n',
    multi: 'version: 1\n---\nversion: 1\n',
  };
  for (const [name, text] of Object.entries(cases)) {
    const s = stagingDirs(tempDir(), { 'bpx.yml': text });
    const r = await run(w, 'detect', s);
    assert.is(r.code, 0, `${name}: ${r.log}`);
    assert.is(r.out, 'full-bp 1.2.3', `${name}: detect stdout is the inner's`);
    assert.match(r.err, /\[bpx\] app bpx\.yml:\d+:\d+: \(root\): YAML: /, name);
    assert.match(r.err, "[bpx] the app's bpx.yml is invalid: its extensions are ignored", name);
    assert.not.match(r.err, /\n\s+at /, `${name}: no stack trace`);
    assert.equal(marks(s), ['op'], `${name}: the operator's extension ran`);
  }
});

test('an app bpx.yml that is a folder, a link out of the app, or binary garbage: one notice line, never its content', async () => {
  const w = layout(OPEN_AT_DETECT);
  const secret = 'TOPSECRET-CONTENT-1234';
  const outside = join(tempDir(), 'outside.yml');
  writeFileSync(outside, `version: 1\nextensions:\n  - {name: x, at: [detect:after], run: [sh, -c, 'echo ${secret} >> "$MARK"']}\n`);
  const cases: Array<[string, (s: Staging) => void, RegExp]> = [
    ['folder', (s) => mkdirSync(join(s.app, 'bpx.yml')), /\[bpx\] the app's bpx\.yml is a folder, not a file: ignored\n/],
    ['link out', (s) => symlinkSync(outside, join(s.app, 'bpx.yml')), /\[bpx\] the app's bpx\.yml is a link out of the app: ignored\n/],
    [
      'dangling link',
      (s) => symlinkSync(join(s.app, 'nowhere.yml'), join(s.app, 'bpx.yml')),
      /\[bpx\] the app's bpx\.yml is a link to nothing: ignored\n/,
    ],
    [
      'binary',
      (s) =>
        writeFileSync(
          join(s.app, 'bpx.yml'),
          Buffer.concat([Buffer.from(`${secret}\n`), Buffer.from([0, 1, 2, 0xff, 0xfe, 10, 27, 91, 50, 74])]),
        ),
      /\[bpx\] app bpx\.yml:2:1: \(root\): not a text file \(binary or non-UTF-8 data\)\n/,
    ],
    [
      'huge',
      (s) => writeFileSync(join(s.app, 'bpx.yml'), `# ${secret}\n${'x'.repeat(2 * 1024 * 1024)}`),
      /\[bpx\] the app's bpx\.yml is \d+ bytes, more than a manifest may have: ignored\n/,
    ],
    [
      'long value',
      (s) => writeFileSync(join(s.app, 'bpx.yml'), `version: "${secret}${'y'.repeat(5000)}"\n`),
      /\[bpx\] app bpx\.yml:1:10: version: must be 1\n/,
    ],
  ];
  for (const [name, make, expected] of cases) {
    const s = stagingDirs(tempDir());
    make(s);
    const r = await run(w, 'detect', s);
    assert.is(r.code, 0, `${name}: ${r.log}`);
    assert.match(r.err, expected, `${name}: ${r.err}`);
    assert.not.ok(r.log.includes(secret), `${name}: the file's content is not in the log`);
    assert.not.ok(r.log.includes('yyyyyyyyyy'), `${name}: no long echo`);
    assert.not.match(r.log, /\u001b/, `${name}: no control characters`);
    assert.equal(marks(s), ['op'], name);
    for (const line of r.err.split('\n')) assert.ok(line.length <= 400, `${name}: one bounded line each`);
  }
  // a link inside the app is read
  const s = stagingDirs(tempDir());
  writeFileSync(
    join(s.app, 'real.yml'),
    `version: 1\nextensions:\n  - {name: mine, at: detect:after, run: [sh, -c, 'echo mine >> "$MARK"']}\n`,
  );
  symlinkSync('real.yml', join(s.app, 'bpx.yml'));
  const r = await run(w, 'detect', s);
  assert.is(r.code, 0, r.log);
  assert.equal(marks(s), ['op', 'mine']);
});

test('an app-level builtin:sbom is refused with a staging-log line; its other extensions still run', async () => {
  const w = layout(`version: 1
extensions:
  - {name: sbom, at: [finalize:after], uses: "builtin:sbom"}
app: {allowExtensions: true, allowedAt: [finalize:after]}
`);
  const s = stagingDirs(tempDir(), {
    'bpx.yml': `version: 1
extensions:
  - {name: my-sbom, at: [finalize:after], uses: "builtin:sbom"}
  - {name: mine, at: [finalize:after], run: [sh, -c, 'echo mine >> "$MARK"']}
`,
  });
  const r = await run(w, 'finalize', s, { sbom: marker('sbom') });
  assert.is(r.code, 0, r.log);
  assert.match(
    r.out,
    "[bpx] app extension 'my-sbom' refused: builtin:sbom writes and signs the droplet's SBOM where the operator's outputs live; only the operator's manifest may use it",
  );
  assert.equal(marks(s), ['inner finalize', 'mine', 'sbom finalize:after']);
});

test("at a point, the operator's signing step runs after every app extension, and the droplet verifies", async () => {
  const keys = generateKeyPair('ed25519');
  const w = layout(
    `version: 1
extensions:
  - {name: capture, at: [finalize:after], uses: "builtin:capture"}
  - name: sbom
    at: [finalize:after]
    uses: builtin:sbom
    with: {signingKey: {file: keys/bpx.key}}
  - {name: notify, at: [finalize:after], run: [sh, -c, 'echo notify >> "$MARK"']}
app: {allowExtensions: true, allowedAt: [finalize:after]}
`,
    { 'keys/bpx.key': keys.privatePem },
  );
  const s = stagingDirs(tempDir(), {
    'bpx.yml': `version: 1
extensions:
  - {name: writer, at: [finalize:after], run: [sh, -c, 'echo generated > "$BPX_BUILD_DIR/generated.txt"; echo writer >> "$MARK"']}
`,
  });
  const r = await run(w, 'finalize', s, realBuiltins);
  assert.is(r.code, 0, r.log);
  assert.equal(marks(s), ['inner finalize', 'writer', 'notify']);
  assert.match(r.out, /\[sbom\] wrote .*\(signed, keyid /);
  // the droplet as the builder tars it: app/ and deps/
  const root = join(s.app, '..');
  const v = await verifyDroplet(root, keys.publicPem);
  assert.ok(v.ok, JSON.stringify(v.failures));
});

test("an app extension that writes where the operator's outputs live fails the phase, whatever its onFailure", async () => {
  const w = layout(`version: 1
extensions:
  - {name: sbom, at: [finalize:after], uses: "builtin:sbom"}
app: {allowExtensions: true, allowedAt: [supply:before, finalize:after]}
`);
  for (const [point, target] of [
    ['supply:before', '$BPX_BUILD_DIR/.bpx/sbom.cdx.json'],
    ['finalize:after', '$BPX_DEPS_DIR/0/bpx/x'],
  ] as const) {
    const s = stagingDirs(tempDir(), {
      'bpx.yml': `version: 1
extensions:
  - {name: forger, at: [${point}], onFailure: warn, run: [sh, -c, 'mkdir -p "$(dirname "${target}")"; echo "{}" > "${target}"']}
`,
    });
    const r = await run(w, point.startsWith('supply') ? 'supply' : 'finalize', s, { sbom: marker('sbom') });
    assert.is(r.code, EXIT_EXTENSION_FAILED, r.log);
    assert.match(
      r.out,
      /\[bpx\] app extension 'forger' wrote into (app\/\.bpx|deps\/0\/bpx)\/?\S*, where the operator's SBOM and signature live: refused, the phase fails/,
    );
    assert.not.ok(marks(s).includes('sbom finalize:after'));
  }
  // an operator extension may write there
  const ok = layout(`version: 1
extensions:
  - {name: mine, at: [supply:before], run: [sh, -c, 'mkdir -p "$BPX_BUILD_DIR/.bpx"; echo x > "$BPX_BUILD_DIR/.bpx/extra"']}
`);
  const r = await run(ok, 'supply', stagingDirs(tempDir()));
  assert.is(r.code, 0, r.log);
});

test.run();
