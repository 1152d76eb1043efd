// builtin:osv and builtin:license-policy run through the real extension runner against a real captured lockfile.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { builtins } from '../../extensions/index.ts';
import { runExtension, type ExtensionRunEnv } from '../../src/lifecycle/hooks/run-extension.ts';
import type { ResolvedExtension } from '../../src/manifest/types.ts';
import type { HookContext, StagingState } from '../../src/lifecycle/hooks/types.ts';
import { captureDir } from '../../src/catalog/index.ts';
import { makeComponent, normaliseLicenses, type Capture } from '../../src/model/index.ts';
import { corpus, haveCorpus } from './corpus.ts';

if (!haveCorpus) console.log('skipping builtin:osv tests: ../shared/corpus is absent');

const app = join(corpus, 'lockfiles', 'npm', 'firebase-firebase-tools', 'shrinkwrap-v2');

function env(cap: () => Promise<Capture>, lines: string[]): ExtensionRunEnv {
  const context: HookContext = { version: 1, extension: 'x', phase: 'supply', when: 'after', app: {}, buildpacks: [], dirs: { build: app } };
  const state: StagingState = { findings: [], detect: [], installs: [], metadata: {} };
  return { context, childEnv: {}, fullEnv: {}, bpxEnv: {}, state, builtins, tmpDir: '/tmp', graceMs: 100, capture: cap, log: (l) => lines.push(l) };
}

const ext = (uses: string, w: Record<string, unknown>): ResolvedExtension => ({
  spec: { name: uses, at: [], uses, with: w },
  manifestDir: corpus,
  operator: true,
  timeoutMs: 60_000,
  onFailure: 'fail',
});

test('builtin:osv reports findings and fails at failOn; ignores need a reason and expire; db age vs maxAge', async () => {
  if (!haveCorpus) return;
  const cap = await captureDir(app);
  const lines: string[] = [];
  const out = await runExtension(ext('builtin:osv', { db: 'osv', failOn: 'critical', maxAge: '7d', onStale: 'fail' }), env(async () => cap, lines));
  assert.is(out.ok, false);
  assert.match(out.message!, /GHSA-xvch-5gv4-984h in minimist@1.2.5/);
  assert.match(out.message!, /database is older than maxAge 7d/, out.message);
  const ids = out.result!.findings!.map((f) => `${f.id} ${f.package}`);
  assert.ok(ids.includes('GHSA-p8p7-x288-28g6 pkg:npm/request@2.88.0'), ids.join('\n'));
  assert.ok(ids.includes('GHSA-hrpp-h998-j3pp pkg:npm/qs@6.7.0'));
  assert.not.ok(ids.some((i) => i.includes('lodash@4.17.21')));
  assert.ok(lines.some((l) => /^database .*: \d+ advisories, newest/.test(l)), lines.join('\n'));

  // ignoring every critical finding (with reasons) and a generous maxAge: passes, findings still reported
  const critical = out.result!.findings!.filter((f) => f.severity === 'critical').map((f) => ({ id: f.id!, reason: 'not reachable', until: '2999-01-01' }));
  const expired = { id: 'GHSA-p8p7-x288-28g6', reason: 'was ok', until: '2001-01-01' };
  const lines2: string[] = [];
  const ok = await runExtension(ext('builtin:osv', { db: 'osv', failOn: 'critical', maxAge: '5000w', ignore: [...critical, expired] }), env(async () => cap, lines2));
  assert.is(ok.ok, true, ok.message);
  assert.ok(ok.result!.findings!.length > 0);
  assert.ok(lines2.some((l) => /ignore of GHSA-p8p7-x288-28g6 expired on 2001-01-01/.test(l)));
  assert.ok(lines2.some((l) => /^ignored GHSA-xvch-5gv4-984h in minimist@1.2.5: not reachable/.test(l)), lines2.join('\n'));
});

test('builtin:osv rejects bad settings with field names', async () => {
  const out = await runExtension(ext('builtin:osv', { failOn: 'severe', ignore: [{ id: 'X' }], maxAge: 'soon' }), env(async () => ({ components: [], issues: [], complete: true }), []));
  assert.is(out.ok, false);
  assert.match(out.message!, /with.db: required/);
  assert.match(out.message!, /with.failOn: must be one of low, medium, high, critical/);
  assert.match(out.message!, /with.ignore\[0\].reason: required/);
  assert.match(out.message!, /with.maxAge/);
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
  assert.equal(bad.result!.findings!.map((f) => `${f.id} ${f.severity} ${f.package}`), ['license-denied high pkg:npm/b@1.0.0', 'license-unknown low pkg:npm/c@1.0.0']);
  const fine = await runExtension(ext('builtin:license-policy', { deny: ['AGPL-3.0-only'], exceptions: [{ purl: 'pkg:npm/b@*', reason: 'internal tool' }] }), env(cap, []));
  assert.is(fine.ok, true, fine.message);
  const broken = await runExtension(ext('builtin:license-policy', { deny: 'GPL' }), env(cap, []));
  assert.is(broken.ok, false);
  assert.match(broken.message!, /with.deny: must be a list/);
});

test.run();
