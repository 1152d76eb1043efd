// The state shared by the phases of one staging: a new staging of the same build dir starts afresh, the last phase removes it.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beginStep, emptyState, stagingEnds, statePath } from '../../src/lifecycle/state.ts';
import type { Manifest } from '../../src/manifest/types.ts';
import type { StagingState } from '../../src/lifecycle/hooks/types.ts';
import { builderArgv, builderEnv, runScript, stagingDirs, tempDir, wrapFixture, type Staging } from './helpers.ts';

const FINDING = '{"findings":[{"severity":"high","message":"old lib","id":"R1"}]}';
const withSteps = (steps: string[]): StagingState => ({ ...emptyState(), findings: [{ severity: 'low', message: 'stale' }], steps });

test('beginStep: a phase at or before one already recorded begins a new staging; the builder order continues it', () => {
  const cont: Array<[string[], Parameters<typeof beginStep>[1], string | undefined]> = [
    [[], 'detect', undefined],
    [['detect'], 'supply', '0'],
    [['detect', 'supply:0'], 'supply', '1'],
    [['supply:00', 'supply:01'], 'supply', '02'],
    [['supply:0'], 'finalize', '0'],
    [['supply:1'], 'finalize', '1'],
    [['supply:0'], 'compile', undefined],
    [['detect', 'compile'], 'release', undefined],
    [['detect', 'supply:0', 'finalize:0'], 'release', undefined],
  ];
  for (const [steps, phase, idx] of cont) {
    const before = withSteps(steps);
    const next = beginStep(before, phase, idx);
    assert.is(next.findings.length, steps.length ? 1 : 1, `${steps} + ${phase}: kept`);
    assert.equal(next.steps, [...steps, idx === undefined ? phase : `${phase}:${Number(idx)}`]);
    assert.equal(before.steps, steps, 'input not mutated');
  }
  const fresh: Array<[string[], Parameters<typeof beginStep>[1], string | undefined]> = [
    [['detect'], 'detect', undefined],
    [['detect', 'supply:0', 'finalize:0'], 'detect', undefined],
    [['supply:0'], 'supply', '0'],
    [['supply:0', 'supply:1'], 'supply', '1'],
    [['supply:0', 'supply:1'], 'supply', '0'],
    [['supply:0', 'finalize:0'], 'supply', '0'],
    [['finalize:0'], 'finalize', '0'],
    [['compile'], 'compile', undefined],
    [['finalize:0'], 'compile', undefined],
    [['release'], 'release', undefined],
    [['release'], 'supply', '0'],
  ];
  for (const [steps, phase, idx] of fresh) {
    const next = beginStep(withSteps(steps), phase, idx);
    assert.equal(next.findings, [], `${steps} + ${phase}: a new staging`);
    assert.equal(next.steps, [idx === undefined ? phase : `${phase}:${Number(idx)}`]);
  }
});

function stateDirs(tmp: string): string[] {
  return readdirSync(tmp).filter((n) => n.startsWith('bpx-state-'));
}

async function phase(w: { wrapper: string }, p: string, s: Staging, tmp: string, extra: Record<string, string> = {}) {
  const r = await runScript(join(w.wrapper, 'bin', p), builderArgv(p, s), builderEnv({ TMPDIR: tmp, RESULT_JSON: FINDING, ...extra }));
  return r;
}

test("hand-run shims: a second staging of the same build dir does not carry the first one's findings; finalize removes the state", async () => {
  const w = await wrapFixture('full', 'version: 1\nextensions:\n  - {name: gate, at: [supply:after], run: hooks/result.sh}\n');
  const s = stagingDirs(w.root);
  const tmp = join(w.root, 'tmp');
  mkdirSync(tmp);
  const findings = () => JSON.parse(readFileSync(statePath(tmp, s.app), 'utf8')).findings as unknown[];
  const first = await phase(w, 'supply', s, tmp);
  assert.is(first.exitCode, 0, first.stderr + first.stdout.toString());
  assert.is(findings().length, 1);
  // the staging stops here (as an interrupted one would); the next staging of the same dir begins with supply again
  const d = await phase(w, 'detect', s, tmp);
  assert.is(d.exitCode, 0, `detect: ${d.exitCode} ${d.stderr} ${d.stdout.toString()}`);
  const again = await phase(w, 'supply', s, tmp);
  assert.is(again.exitCode, 0, again.stderr);
  assert.is(findings().length, 1, 'the old finding is not carried over');
  // finalize is the last phase that starts bpx here (release takes the fast path): the state goes
  const fin = await phase(w, 'finalize', s, tmp);
  assert.is(fin.exitCode, 0, `finalize: ${fin.stderr}`);
  assert.equal(stateDirs(tmp), []);
  const rel = await phase(w, 'release', s, tmp);
  assert.is(rel.exitCode, 0, `release: ${rel.stderr}`);
  assert.equal(stateDirs(tmp), [], 'nothing left in TMPDIR');
});

test('the state survives finalize when release runs bpx, and release removes it; a failed phase removes it too', async () => {
  const w = await wrapFixture(
    'full',
    `version: 1
extensions:
  - {name: gate, at: [supply:after], run: hooks/result.sh}
  - {name: late, at: [release:after], run: [sh, -c, "true"]}
`,
  );
  const s = stagingDirs(w.root);
  const tmp = join(w.root, 'tmp');
  mkdirSync(tmp);
  for (const p of ['detect', 'supply', 'finalize']) assert.is((await phase(w, p, s, tmp)).exitCode, 0, p);
  assert.is(stateDirs(tmp).length, 1, 'release still to come');
  // finalize has no extension: its shim kept the inner output beside the state, without Node
  const state = JSON.parse(readFileSync(statePath(tmp, s.app), 'utf8'));
  assert.equal(state.steps, ['supply:0']);
  assert.equal(state.installs, [
    { name: 'tool', version: '4.5.6' },
    { name: 'other', version: '1.0.0-rc.1' },
  ]);
  assert.ok(existsSync(join(statePath(tmp, s.app), '..', 'finalize.out')));
  assert.is((await phase(w, 'release', s, tmp)).exitCode, 0);
  assert.equal(stateDirs(tmp), []);

  // a failed supply ends the staging (the builder stops): nothing stays behind
  writeFileSync(join(s.app, 'FAIL_SUPPLY'), '3');
  assert.is((await phase(w, 'supply', s, tmp)).exitCode, 3);
  assert.equal(stateDirs(tmp), []);
});

test('a supply without extensions keeps its install lines without Node; the next phase that runs bpx takes them, stale copies are dropped', async () => {
  const w = await wrapFixture(
    'full',
    `version: 1
extensions:
  - {name: fin, at: [finalize:after], run: [sh, -c, "true"]}
  - {name: late, at: [release:after], run: [sh, -c, "true"]}
`,
  );
  const s = stagingDirs(w.root);
  const tmp = join(w.root, 'tmp');
  mkdirSync(tmp);
  const dir = join(statePath(tmp, s.app), '..');
  // left over from an earlier staging of the same build dir, with more buildpacks
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'supply-3.out'), '-----> Installing stale 0.0.1\n');
  writeFileSync(join(dir, 'finalize.out'), '-----> Installing stale 0.0.2\n');
  const sup = await phase(w, 'supply', s, tmp);
  assert.is(sup.exitCode, 0, sup.stderr);
  assert.equal(readdirSync(dir).sort(), ['supply-0.out']);
  const fin = await phase(w, 'finalize', s, tmp);
  assert.is(fin.exitCode, 0, fin.stderr);
  const state = JSON.parse(readFileSync(statePath(tmp, s.app), 'utf8'));
  assert.equal(state.installs, [
    { name: 'tool', version: '4.5.6' },
    { name: 'other', version: '1.0.0-rc.1' },
  ]);
  assert.equal(state.steps, ['finalize:0']);
  assert.equal(readdirSync(dir), ['state.json'], 'the copy is taken');
  assert.is((await phase(w, 'release', s, tmp)).exitCode, 0);
  assert.equal(stateDirs(tmp), []);
  // a failed supply ends the staging there too, with the inner's own exit code
  writeFileSync(join(s.app, 'FAIL_SUPPLY'), '3');
  const failed = await phase(w, 'supply', s, tmp);
  assert.is(failed.exitCode, 3);
  assert.match(failed.stdout.toString(), 'supply refuses');
  assert.equal(stateDirs(tmp), []);
});

test("the state folder's name is the shims' own: POSIX cksum of BUILD_DIR's real path", () => {
  const tmp = tempDir();
  const link = join(tmp, 'link');
  mkdirSync(join(tmp, 'real dir/app ü'), { recursive: true });
  symlinkSync(join(tmp, 'real dir'), link);
  // (the last one's length takes two bytes in the CRC)
  for (const dir of [join(tmp, 'real dir/app ü'), join(link, 'app ü'), '/tmp/no/such/dir', `/tmp/no/such/${'ä'.repeat(200)}`]) {
    const real = existsSync(dir) ? realpathSync(dir) : dir;
    const [crc, len] = execFileSync('sh', ['-c', 'printf %s "$1" | cksum', 'sh', real], { encoding: 'utf8' }).trim().split(' ');
    const key = execFileSync('sh', ['-c', `printf '%08x%08x' ${crc} ${len}`], { encoding: 'utf8' });
    assert.is(statePath('/t', dir), `/t/bpx-state-${key}/state.json`, dir);
  }
});

test('detect removes the state when no later shim starts bpx; keeps it when one does', async () => {
  const only = await wrapFixture('full', 'version: 1\nextensions:\n  - {name: d, at: [detect:after], run: hooks/result.sh}\n');
  const s = stagingDirs(only.root);
  const tmp = join(only.root, 'tmp');
  mkdirSync(tmp);
  assert.is((await phase(only, 'detect', s, tmp)).exitCode, 0);
  assert.equal(stateDirs(tmp), []);
  const both = await wrapFixture(
    'full',
    'version: 1\nextensions:\n  - {name: d, at: [detect:after, finalize:after], run: hooks/result.sh}\n',
  );
  assert.is((await phase(both, 'detect', s, tmp)).exitCode, 0);
  assert.equal(JSON.parse(readFileSync(statePath(tmp, s.app), 'utf8')).findings.length, 1);
  assert.is((await phase(both, 'supply', s, tmp)).exitCode, 0);
  assert.is((await phase(both, 'finalize', s, tmp)).exitCode, 0);
  assert.ok(!existsSync(statePath(tmp, s.app)), 'finalize was the last');
});

test('stagingEnds: release that will not run (launch.yml) or runs without bpx ends at finalize; an app bpx.yml allowed at release keeps it', async () => {
  const root = tempDir();
  const wrapperDir = join(root, 'w');
  mkdirSync(join(wrapperDir, 'bin'), { recursive: true });
  for (const p of ['supply', 'finalize', 'release']) writeFileSync(join(wrapperDir, 'bin', p), '');
  const s = stagingDirs(root);
  const dirs = { build: s.app, cache: s.cache, deps: s.deps, depsIdx: '0', profile: s.profile };
  const m = (yaml: Partial<Manifest>) => ({ version: 1, extensions: [], ...yaml }) as Manifest;
  const release = m({ extensions: [{ name: 'r', at: ['release:after'], run: ['true'] }] as Manifest['extensions'] });
  const appRelease = m({ app: { allowExtensions: true, allowedAt: ['release:before'] } } as Partial<Manifest>);
  const ends = (manifest: Manifest, phase: 'detect' | 'supply' | 'finalize' = 'finalize', code = 0) =>
    stagingEnds({ phase, code, wrapperDir, manifest, dirs });
  assert.is(await ends(release), false, 'release runs bpx: keep');
  assert.is(await ends(m({})), true);
  assert.is(await ends(appRelease), true, 'apps may add at release, but this app has no bpx.yml');
  writeFileSync(join(s.app, 'bpx.yml'), 'version: 1\n');
  assert.is(await ends(appRelease), false, 'the app bpx.yml may add a release extension');
  assert.is(await ends(release, 'supply'), false, 'a successful supply never ends it');
  assert.is(await ends(release, 'supply', 225), true, 'a failure does');
  assert.is(await ends(m({}), 'detect'), true, 'no later shim starts bpx');
  writeFileSync(join(s.deps, '0', 'launch.yml'), 'processes: []\n');
  assert.is(await ends(release), true, 'launch.yml: the builder skips release');
});

test.run();
