// bpx phase through real wrapped fixture buildpacks: ordering, stdout identity, exit codes, failure policy, timeouts, env.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, writeFileSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { builderArgv, builderEnv, fixtures, runScript, stagingDirs, tempDir, wrapFixture } from './helpers.ts';
import { statePath } from '../../src/lifecycle/state.ts';
import { isRunning } from './stage/helpers.ts';

const PHASES_FULL = ['detect', 'supply', 'finalize', 'release'];

function markLines(s: { mark: string }): string[] {
  return readFileSync(s.mark, 'utf8').split('\n').filter(Boolean);
}

test('script extensions run at every point, before/after in manifest order, around the inner script', async () => {
  const at = ['detect', 'supply', 'finalize', 'release'].flatMap((p) => [`${p}:before`, `${p}:after`]);
  const w = await wrapFixture(
    'full',
    `version: 1
extensions:
  - name: first
    at: [${at.join(', ')}]
    run: hooks/mark.sh
    env: {LABEL: first}
  - name: second
    at: [${at.join(', ')}]
    run: hooks/mark.sh
    env: {LABEL: second}
`,
  );
  const s = stagingDirs(w.root);
  for (const p of PHASES_FULL) {
    const r = await runScript(join(w.wrapper, 'bin', p), builderArgv(p, s), builderEnv({ MARK: s.mark }));
    assert.is(r.exitCode, 0, `${p}: ${r.stderr}`);
  }
  assert.equal(markLines(s), [
    'first detect:before',
    'second detect:before',
    'first detect:after',
    'second detect:after',
    'first supply:before',
    'second supply:before',
    'inner supply',
    'first supply:after',
    'second supply:after',
    'first finalize:before',
    'second finalize:before',
    'inner finalize',
    'first finalize:after',
    'second finalize:after',
    'first release:before',
    'second release:before',
    'first release:after',
    'second release:after',
  ]);
  // compile-only buildpack: compile:before/after
  const c = await wrapFixture(
    'compile-only',
    `version: 1
extensions:
  - {name: around, at: [compile:before, compile:after], run: hooks/mark.sh}
`,
  );
  const cs = stagingDirs(c.root);
  const r = await runScript(join(c.wrapper, 'bin', 'compile'), builderArgv('compile', cs), builderEnv({ MARK: cs.mark }));
  assert.is(r.exitCode, 0, r.stderr);
  assert.equal(markLines(cs), ['hook compile:before', 'inner compile', 'hook compile:after']);
  const out = r.stdout.toString();
  assert.ok(out.includes('[around] out from hook\n'), out);
  assert.ok(out.includes('[around] err from hook\n'), 'stderr of the extension goes to the staging log too');
  assert.ok(out.includes('-----> Installing nginx 1.27.3\n'));
});

test('detect and release stdout are byte-identical to the inner script even when extensions print', async () => {
  const w = await wrapFixture(
    'full',
    `version: 1
extensions:
  - {name: noisy, at: [detect:before, detect:after, release:before, release:after], run: hooks/mark.sh}
`,
  );
  const s = stagingDirs(w.root);
  for (const p of ['detect', 'release']) {
    const inner = await runScript(join(fixtures, 'buildpacks', 'full', 'bin', p), builderArgv(p, s), builderEnv({ MARK: s.mark }));
    const wrapped = await runScript(join(w.wrapper, 'bin', p), builderArgv(p, s), builderEnv({ MARK: s.mark }));
    assert.is(wrapped.exitCode, 0, wrapped.stderr);
    assert.is(inner.exitCode, 0, inner.stderr);
    // byte for byte (latin1 keeps every byte as one character)
    assert.is(wrapped.stdout.toString('latin1'), inner.stdout.toString('latin1'), p);
    assert.ok(wrapped.stderr.includes('[noisy] out from hook'), wrapped.stderr);
  }
  // detect prints no trailing newline: none added
  const d = await runScript(join(w.wrapper, 'bin', 'detect'), [s.app], builderEnv({ MARK: s.mark }));
  assert.is(d.stdout.toString(), 'full-bp 1.2.3');
});

test('the inner exit code is preserved and after-extensions are skipped when the inner script fails', async () => {
  const w = await wrapFixture(
    'full',
    `version: 1
extensions:
  - {name: m, at: [detect:after, supply:before, supply:after, finalize:after, release:after], run: hooks/mark.sh}
`,
  );
  for (const [p, code] of [
    ['detect', 1],
    ['supply', 7],
    ['finalize', 4],
    ['release', 9],
  ] as const) {
    const s = stagingDirs(tempDir(), { [`FAIL_${p.toUpperCase()}`]: String(code) });
    const r = await runScript(join(w.wrapper, 'bin', p), builderArgv(p, s), builderEnv({ MARK: s.mark }));
    assert.is(r.exitCode, code, `${p}: ${r.stderr}`);
    assert.not.ok(
      markLines(s).some((l) => l.endsWith(`${p}:after`)),
      `${p}: after skipped`,
    );
  }
});

test('onFailure: warn keeps the phase going; onFailure: fail fails it with 86 before the inner script runs', async () => {
  const manifest = (policy: string) => `version: 1
extensions:
  - name: gate
    at: [supply:before]
    run: hooks/result.sh
    onFailure: ${policy}
    env: {EXIT_CODE: "3"}
  - {name: m, at: [supply:after], run: hooks/mark.sh}
`;
  const warn = await wrapFixture('full', manifest('warn'));
  let s = stagingDirs(warn.root);
  let r = await runScript(join(warn.wrapper, 'bin', 'supply'), builderArgv('supply', s), builderEnv({ MARK: s.mark }));
  assert.is(r.exitCode, 0, r.stderr);
  assert.match(r.stdout.toString(), '[gate] failed, continuing (onFailure: warn): exited with code 3');
  assert.equal(markLines(s), ['inner supply', 'hook supply:after']);

  const fail = await wrapFixture('full', manifest('fail'));
  s = stagingDirs(fail.root);
  r = await runScript(join(fail.wrapper, 'bin', 'supply'), builderArgv('supply', s), builderEnv({ MARK: s.mark }));
  assert.is(r.exitCode, 86);
  assert.match(r.stdout.toString(), '[gate] FAILED (onFailure: fail): exited with code 3');
  assert.equal(markLines(s), [], 'neither the inner script nor later extensions ran');
});

test('an invalid result (bad JSON, schema mismatch) is the extension failure; a valid one feeds the state', async () => {
  const w = await wrapFixture(
    'full',
    `version: 1
extensions:
  - {name: badjson, at: [supply:before], run: hooks/result.sh, env: {RESULT_JSON: "{not json"}}
  - {name: badschema, at: [supply:before], run: hooks/result.sh, env: {RESULT_JSON: '{"findings":[{"severity":"urgent","message":"x"}]}'}}
  - name: good
    at: [supply:after]
    run: hooks/result.sh
    env: {RESULT_JSON: '{"findings":[{"severity":"high","message":"old lib","package":"pkg:npm/x@1.0.0","id":"R1"}],"detect":{"lint":"2.0"},"metadata":{"k":1}}'}
`,
  );
  const s = stagingDirs(w.root);
  const r = await runScript(join(w.wrapper, 'bin', 'supply'), builderArgv('supply', s), builderEnv());
  const out = r.stdout.toString();
  assert.is(r.exitCode, 0, r.stderr);
  assert.match(out, /\[badjson\] failed, continuing \(onFailure: warn\): result file \(BPX_RESULT\) is not valid JSON/);
  assert.match(
    out,
    /\[badschema\] failed, continuing \(onFailure: warn\): result file \(BPX_RESULT\) does not match hook-result.schema.json: \/findings\/0\/severity/,
  );
  assert.match(out, '[good] high: old lib (pkg:npm/x@1.0.0) [R1]');
  const state = JSON.parse(readFileSync(statePath(tmpdir(), s.app), 'utf8'));
  assert.equal(state.findings, [{ severity: 'high', message: 'old lib', package: 'pkg:npm/x@1.0.0', id: 'R1', extension: 'good' }]);
  assert.equal(state.detect, [{ name: 'lint', value: '2.0', extension: 'good' }]);
  assert.equal(state.metadata, { good: { k: 1 } });
  assert.equal(state.installs, [
    { name: 'tool', version: '4.5.6' },
    { name: 'other', version: '1.0.0-rc.1' },
  ]);
  // the state lives outside every CF directory
  for (const d of [s.app, s.cache, s.deps]) assert.not.ok(statePath(tmpdir(), s.app).startsWith(d));
});

test('a hung extension is killed with its whole process tree at its timeout and the phase ends', async () => {
  const w = await wrapFixture(
    'full',
    `version: 1
extensions:
  - {name: hang, at: [supply:before], run: hooks/hang.sh, timeout: 1s, onFailure: fail}
`,
  );
  const s = stagingDirs(w.root);
  const pidFile = join(w.root, 'grandchild.pid');
  const started = Date.now();
  const r = await runScript(
    join(w.wrapper, 'bin', 'supply'),
    builderArgv('supply', s),
    builderEnv({ PID_FILE: pidFile, BPX_KILL_GRACE_MS: '300' }),
    20_000,
  );
  const took = Date.now() - started;
  assert.is(r.exitCode, 86, r.stderr);
  assert.match(r.stdout.toString(), '[hang] hanging');
  assert.match(r.stdout.toString(), '[hang] FAILED (onFailure: fail): timed out after 1s; its process tree was killed');
  assert.ok(took < 15_000, `took ${took} ms`);
  const pid = Number(readFileSync(pidFile, 'utf8'));
  let alive = true;
  for (let i = 0; i < 20 && alive; i++) {
    alive = isRunning(pid);
    if (alive) await new Promise((ok) => setTimeout(ok, 100));
  }
  assert.not.ok(alive, `grandchild ${pid} still running`);
});

test('the inner script and extensions never see BPX wrapper vars, a wrapper BUILDPACK_DIR, or the operator secret', async () => {
  const w = await wrapFixture(
    'full',
    `version: 1
extensions:
  - name: probe
    at: [supply:before]
    run: hooks/result.sh
  - name: fake-signer
    at: [finalize:after]
    run: hooks/mark.sh
    with: {signingKey: {env: OPS_SIGNING_KEY}}
`,
  );
  const s = stagingDirs(w.root);
  const save = join(w.root, 'saved');
  mkdirSync(save);
  const r = await runScript(
    join(w.wrapper, 'bin', 'supply'),
    builderArgv('supply', s),
    builderEnv({ SAVE_DIR: save, OPS_SIGNING_KEY: 'TOPSECRET', BUILDPACK_DIR: w.wrapper }),
  );
  assert.is(r.exitCode, 0, r.stderr);
  assert.match(r.stdout.toString(), 'inner-env wrapper=none bpdir=none secret=none phase=none');
  const env = readFileSync(join(save, 'env.txt'), 'utf8');
  assert.not.match(env, 'TOPSECRET');
  assert.not.match(env, 'BPX_WRAPPER_DIR');
  for (const v of [
    'BPX_PHASE=supply',
    'BPX_WHEN=before',
    `BPX_BUILD_DIR=${s.app}`,
    `BPX_CACHE_DIR=${s.cache}`,
    `BPX_DEPS_DIR=${s.deps}`,
    'BPX_DEPS_IDX=0',
    'CF_STACK=cflinuxfs4',
    'BPX_CONTEXT=',
    'BPX_RESULT=',
  ]) {
    assert.ok(env.includes(v), `${v} in ${env}`);
  }
  assert.not.ok(env.includes('BPX_PROFILE_DIR='), 'supply has no profile dir');
  const ctx = JSON.parse(readFileSync(join(save, 'context.json'), 'utf8'));
  assert.equal(JSON.parse(readFileSync(join(save, 'stdin.json'), 'utf8')), ctx, 'stdin carries the context');
  assert.is(ctx.version, 1);
  assert.is(ctx.extension, 'probe');
  assert.is(ctx.phase, 'supply');
  assert.is(ctx.when, 'before');
  assert.equal(ctx.app, { name: 'demo', id: 'app-guid-1', spaceName: 'dev' });
  assert.is(ctx.stack, 'cflinuxfs4');
  assert.equal(ctx.dirs, { build: s.app, cache: s.cache, deps: s.deps, depsIdx: '0' });
  assert.equal(ctx.buildpacks, [{ index: '0', wrapped: true, version: '1.2.3' }]);
  const { Ajv } = await import('ajv');
  const schema = JSON.parse(readFileSync(join(fixtures, '..', '..', '..', 'schemas', 'hook-context.schema.json'), 'utf8'));
  const validate = new Ajv({ strict: false }).compile(schema);
  assert.ok(validate(ctx), JSON.stringify(validate.errors));
});

test('app extensions are appended after the operator ones; same-name and disallowed points are refused in the log', async () => {
  const w = await wrapFixture(
    'full',
    `version: 1
extensions:
  - {name: gate, at: [supply:before], run: hooks/result.sh, onFailure: fail, env: {EXIT_CODE: "5"}}
  - {name: op, at: [supply:before], run: hooks/mark.sh, env: {LABEL: op}}
app:
  allowExtensions: true
  allowedAt: [supply:before]
`,
  );
  const appStaging = () => {
    const s = stagingDirs(tempDir());
    mkdirSync(join(s.app, 'hooks'));
    writeFileSync(
      join(s.app, 'hooks', 'app.sh'),
      '#!/bin/sh\necho "${LABEL} $BPX_PHASE:$BPX_WHEN secret=${OPS_SIGNING_KEY:-none}" >> "$MARK"\n',
      { mode: 0o755 },
    );
    // the app tries to override the failing gate with a no-op, and to run where it may not
    writeFileSync(
      join(s.app, 'bpx.yml'),
      `version: 1
extensions:
  - {name: gate, at: [supply:before], run: [sh, -c, "true"], onFailure: warn}
  - {name: mine, at: [supply:before], run: hooks/app.sh, env: {LABEL: app}}
  - {name: late, at: [finalize:after], run: hooks/app.sh, env: {LABEL: late}}
`,
    );
    return s;
  };
  let s = appStaging();
  let r = await runScript(join(w.wrapper, 'bin', 'supply'), builderArgv('supply', s), builderEnv({ MARK: s.mark }));
  assert.is(r.exitCode, 86, 'the operator gate still fails the phase');
  assert.match(r.stdout.toString(), "[bpx] app extension 'gate' refused: the operator already declares an extension of that name");
  // without the failing gate: order operator first, then app
  const w2 = await wrapFixture(
    'full',
    `version: 1
extensions:
  - {name: op, at: [supply:before], run: hooks/mark.sh, env: {LABEL: op}}
app: {allowExtensions: true, allowedAt: [supply:before]}
`,
  );
  s = appStaging();
  r = await runScript(join(w2.wrapper, 'bin', 'supply'), builderArgv('supply', s), builderEnv({ MARK: s.mark, OPS_SIGNING_KEY: 'x' }));
  assert.is(r.exitCode, 0, r.stderr);
  assert.equal(markLines(s), ['op supply:before', 'app supply:before secret=x', 'inner supply']);
  // said once per staging, in the first phase that runs bpx (this finalize shim does not even start Node)
  assert.match(
    r.stdout.toString(),
    "[bpx] app extension 'late' refused at finalize:after: the operator allows app extensions only at supply:before",
  );
  r = await runScript(join(w2.wrapper, 'bin', 'finalize'), builderArgv('finalize', s), builderEnv({ MARK: s.mark }));
  assert.is(r.exitCode, 0, r.stderr);
  assert.not.ok(markLines(s).some((l) => l.startsWith('late')));
});

test('app extensions are ignored (with a message) when the operator does not allow them', async () => {
  const w = await wrapFixture(
    'full',
    `version: 1
extensions:
  - {name: op, at: [supply:before], run: hooks/mark.sh, env: {LABEL: op}}
`,
  );
  const s = stagingDirs(w.root, {
    'bpx.yml': 'version: 1\nextensions:\n  - {name: mine, at: [supply:before], run: [sh, -c, "echo app >> $MARK"]}\n',
  });
  const r = await runScript(join(w.wrapper, 'bin', 'supply'), builderArgv('supply', s), builderEnv({ MARK: s.mark }));
  assert.is(r.exitCode, 0);
  assert.equal(markLines(s), ['op supply:before', 'inner supply']);
  assert.match(r.stdout.toString(), "[bpx] the app's bpx.yml is ignored: the operator does not allow app extensions");
});

test('the state dir is never inside the staging dirs', () => {
  const s = statePath('/tmp', '/tmp/app');
  assert.match(s, /^\/tmp\/bpx-state-[0-9a-f]{16}\/state\.json$/);
  assert.ok(readdirSync(fixtures).length > 0);
});

test.run();
