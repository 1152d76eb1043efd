// builtin:osv and builtin:license-policy run through the real extension runner against a real captured lockfile.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { runPhase } from '../../src/lifecycle/phases/run-phase.ts';
import { builtins } from '../../extensions/index.ts';
import { runExtension, type ExtensionRunEnv } from '../../src/lifecycle/hooks/run-extension.ts';
import type { ResolvedExtension } from '../../src/manifest/types.ts';
import type { HookContext, StagingState } from '../../src/lifecycle/hooks/types.ts';
import { captureDir } from '../../src/catalog/index.ts';
import { makeComponent, normaliseLicenses, type Capture } from '../../src/model/index.ts';
import { corpus, haveCorpus, osvDir, repoRoot, needCorpus } from './corpus.ts';
import { indexedDb } from './indexed-db.ts';

const app = join(corpus, 'lockfiles', 'npm', 'firebase-firebase-tools', 'shrinkwrap-v2');

function env(cap: () => Promise<Capture>, lines: string[]): ExtensionRunEnv {
  const context: HookContext = {
    version: 1,
    extension: 'x',
    phase: 'supply',
    when: 'after',
    app: {},
    buildpacks: [],
    dirs: { build: app },
  };
  const state: StagingState = { findings: [], detect: [], installs: [], metadata: {} };
  return {
    context,
    childEnv: {},
    fullEnv: {},
    bpxEnv: {},
    state,
    builtins,
    tmpDir: '/tmp',
    graceMs: 100,
    capture: cap,
    log: (l) => lines.push(l),
  };
}

const ext = (uses: string, w: Record<string, unknown>): ResolvedExtension => ({
  spec: { name: uses, at: [], uses, with: w },
  manifestDir: corpus,
  operator: true,
  timeoutMs: 60_000,
  onFailure: 'fail',
});

test('builtin:osv reports findings and fails at failOn; ignores need a reason and expire; db age vs maxAge', async () => {
  if (!needCorpus()) return;
  const cap = await captureDir(app);
  const lines: string[] = [];
  const out = await runExtension(
    ext('builtin:osv', { db: 'osv', failOn: 'critical', maxAge: '7d', onStale: 'fail' }),
    env(async () => cap, lines),
  );
  assert.is(out.ok, false);
  assert.match(out.message!, /GHSA-xvch-5gv4-984h in minimist@1.2.5/);
  assert.match(out.message!, /database is older than maxAge 7d/, out.message);
  const ids = out.result!.findings!.map((f) => `${f.id} ${f.package}`);
  assert.ok(ids.includes('GHSA-p8p7-x288-28g6 pkg:npm/request@2.88.0'), ids.join('\n'));
  assert.ok(ids.includes('GHSA-hrpp-h998-j3pp pkg:npm/qs@6.7.0'));
  assert.not.ok(ids.some((i) => i.includes('lodash@4.17.21')));
  assert.ok(
    lines.some((l) => /^database .*: \d+ advisories, newest/.test(l)),
    lines.join('\n'),
  );

  // ignoring every critical finding (with reasons) and a generous maxAge: passes, findings still reported
  const critical = out
    .result!.findings!.filter((f) => f.severity === 'critical')
    .map((f) => ({ id: f.id!, reason: 'not reachable', until: '2999-01-01' }));
  const expired = { id: 'GHSA-p8p7-x288-28g6', reason: 'was ok', until: '2001-01-01' };
  const lines2: string[] = [];
  const ok = await runExtension(
    ext('builtin:osv', { db: 'osv', failOn: 'critical', maxAge: '5000w', ignore: [...critical, expired] }),
    env(async () => cap, lines2),
  );
  assert.is(ok.ok, true, ok.message);
  assert.ok(ok.result!.findings!.length > 0);
  assert.ok(lines2.some((l) => /ignore of GHSA-p8p7-x288-28g6 expired on 2001-01-01/.test(l)));
  assert.ok(
    lines2.some((l) => /^ignored GHSA-xvch-5gv4-984h in minimist@1.2.5: not reachable/.test(l)),
    lines2.join('\n'),
  );
});

test('builtin:osv rejects bad settings with field names', async () => {
  const out = await runExtension(
    ext('builtin:osv', { failOn: 'severe', ignore: [{ id: 'X' }], maxAge: 'soon' }),
    env(async () => ({ components: [], issues: [], complete: true }), []),
  );
  assert.is(out.ok, false);
  assert.match(out.message!, /with.osv or with.nvd: required/);
  assert.match(out.message!, /with.failOn: must be one of low, medium, high, critical/);
  assert.match(out.message!, /with.ignore\[0\].reason: required/);
  assert.match(out.message!, /with.maxAge/);
});

test('builtin:osv fails when the database loads 0 advisories, or has none for the captured ecosystems, unless allowEmptyDb', async () => {
  if (!needCorpus()) return;
  const cap = await captureDir(app);
  const tmp = mkdtempSync(join(tmpdir(), 'bpx-osv-empty-'));
  try {
    mkdirSync(join(tmp, 'empty'));
    mkdirSync(join(tmp, 'pypi'));
    cpSync(join(osvDir, 'PyPI'), join(tmp, 'pypi'), { recursive: true });
    const lines: string[] = [];
    const empty = await runExtension(
      ext('builtin:osv', { db: join(tmp, 'empty') }),
      env(async () => cap, lines),
    );
    assert.is(empty.ok, false);
    assert.match(empty.message!, /0 advisories/);
    const wrong = await runExtension(
      ext('builtin:osv', { db: join(tmp, 'pypi') }),
      env(async () => cap, []),
    );
    assert.is(wrong.ok, false);
    assert.match(wrong.message!, /no advisories for npm/);
    const lines2: string[] = [];
    const allowed = await runExtension(
      ext('builtin:osv', { db: join(tmp, 'pypi'), allowEmptyDb: true }),
      env(async () => cap, lines2),
    );
    assert.is(allowed.ok, true, allowed.message);
    assert.ok(
      lines2.some((l) => /not checked/.test(l)),
      lines2.join('\n'),
    );
    assert.not.ok(
      lines2.some((l) => /0 findings/.test(l) && !/not checked/.test(l)),
      lines2.join('\n'),
    );
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('builtin:osv reads the prebuilt index while it is fresh, and the records (with a warning) once it is stale', async () => {
  const tmp = mkdtempSync(join(tmpdir(), 'bpx-osv-index-'));
  try {
    const db = await indexedDb(join(tmp, 'osv'), 'GHSA-test-mini-0001', 'minimist', '1.2.6');
    const minimist = makeComponent({ ecosystem: 'npm', name: 'minimist', version: '1.2.5', location: { path: 'x', source: 'lockfile' } });
    const cap = async (): Promise<Capture> => ({ components: [minimist], issues: [], complete: true });
    const run = async () => {
      const lines: string[] = [];
      const out = await runExtension(ext('builtin:vulnerabilities', { osv: join(tmp, 'osv') }), env(cap, lines));
      assert.is(out.ok, true, out.message);
      return { ids: out.result!.findings!.map((f) => f.id), lines };
    };
    // fixed in 1.2.0 now, but the index (fresh: same size and time) still says 1.2.6: a finding only the index gives
    db.swap('1.2.0');
    const fresh = await run();
    assert.equal(fresh.ids, ['GHSA-test-mini-0001']);
    assert.not.ok(
      fresh.lines.some((l) => /not used/.test(l)),
      fresh.lines.join('\n'),
    );
    db.touch();
    const stale = await run();
    assert.equal(stale.ids, []);
    assert.ok(
      stale.lines.some((l) => /^warning: .*bpx-osv\.index not used \(.*GHSA-test-mini-0001\.json changed\)/.test(l)),
      stale.lines.join('\n'),
    );
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('builtin:osv in a real phase: each finding is logged once', async () => {
  if (!needCorpus()) return;
  const root = mkdtempSync(join(tmpdir(), 'bpx-osv-phase-'));
  try {
    const wrapper = join(root, 'wrapper');
    cpSync(join(repoRoot, 'test', 'lifecycle', 'fixtures', 'buildpacks', 'full'), join(wrapper, 'inner'), { recursive: true });
    mkdirSync(join(wrapper, 'bpx'));
    writeFileSync(
      join(wrapper, 'bpx', 'bpx.yml'),
      `version: 1\nextensions:\n  - {name: osv, at: [supply:after], uses: "builtin:osv", with: {db: ${JSON.stringify(osvDir)}}}\n`,
    );
    const dirs = ['app', 'cache', 'deps/0'].map((d) => join(root, d));
    for (const d of dirs) mkdirSync(d, { recursive: true });
    cpSync(app, dirs[0]!, { recursive: true });
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let out = '';
    stdout.on('data', (d) => (out += d));
    stderr.on('data', (d) => (out += d));
    const code = await runPhase({
      phase: 'supply',
      argv: [dirs[0]!, dirs[1]!, join(root, 'deps'), '0'],
      wrapperDir: wrapper,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: root, CF_STACK: 'cflinuxfs4', TMPDIR: root },
      cwd: dirs[0]!,
      stdout,
      stderr,
      tmpDir: root,
      builtins,
      graceMs: 200,
    });
    assert.is(code, 0, out);
    const mentions = out.split('\n').filter((l) => l.includes('GHSA-xvch-5gv4-984h'));
    assert.is(mentions.length, 1, mentions.join('\n'));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('builtin:license-policy: violations are findings, failing the hook; warnings alone pass', async () => {
  const loc = { path: 'package.json', source: 'installed' } as const;
  const comps = [
    makeComponent({ ecosystem: 'npm', name: 'a', version: '1.0.0', licenses: normaliseLicenses(['MIT']), location: loc }),
    makeComponent({ ecosystem: 'npm', name: 'b', version: '1.0.0', licenses: normaliseLicenses(['AGPL-3.0-only']), location: loc }),
    makeComponent({ ecosystem: 'npm', name: 'c', version: '1.0.0', location: loc }),
  ];
  const cap = async (): Promise<Capture> => ({ components: comps, issues: [], complete: true });
  const bad = await runExtension(ext('builtin:license-policy', { deny: ['AGPL-3.0-only'], unknown: 'warn' }), env(cap, []));
  assert.is(bad.ok, false);
  assert.match(bad.message!, /1 license violation: b@1.0.0 \(AGPL-3.0-only\)/);
  assert.equal(
    bad.result!.findings!.map((f) => `${f.id} ${f.severity} ${f.package}`),
    ['license-denied high pkg:npm/b@1.0.0', 'license-unknown low pkg:npm/c@1.0.0'],
  );
  const fine = await runExtension(
    ext('builtin:license-policy', { deny: ['AGPL-3.0-only'], exceptions: [{ purl: 'pkg:npm/b@*', reason: 'internal tool' }] }),
    env(cap, []),
  );
  assert.is(fine.ok, true, fine.message);
  const broken = await runExtension(ext('builtin:license-policy', { deny: 'GPL' }), env(cap, []));
  assert.is(broken.ok, false);
  assert.match(broken.message!, /with.deny: must be a list/);
});

test.run();
