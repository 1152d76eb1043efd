// bpx stage against every recording of the real Cloud Foundry builder (../shared/cf-builder/recordings), with the
// recorded buildpacks as they are and wrapped by bpx with no extensions: the same exit code, result file byte for
// byte (or none), staging_info.yml, droplet listing and log.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { bpx, cfBuilder, fixtures, sorted, tmp } from './helpers.ts';
import { cacheListing, recordedCacheListings, recordings, stageRecording, load, type Recording, type Staged } from './recordings.ts';

const wrapped = new Map<string, string>();
/** bpx wrap of a recorded buildpack with the empty manifest (once per buildpack). */
function wrapEmpty(dir: string): string {
  if (!wrapped.has(dir)) {
    const out = join(tmp('bpx-rec-wrap-'), 'wrapped');
    const r = bpx(['wrap', dir, '--manifest', join(fixtures, 'manifests', 'empty.yml'), '-o', out]);
    assert.is(r.code, 0, `bpx wrap ${dir}: ${r.stderr}`);
    wrapped.set(dir, out);
  }
  return wrapped.get(dir)!;
}

function assertLikeRecording(rec: Recording, s: Staged, label: string): void {
  assert.is(s.run.code, rec.exitCode, `${label}: exit code\n${s.run.stderr}`);
  if (rec.raw === undefined) assert.is(s.resultText, undefined, `${label}: the builder writes no result file here`);
  else assert.is(s.resultText, rec.raw, `${label}: result.json byte for byte`);
  assert.is(s.log, rec.log, `${label}: staging log`);
  assert.ok(s.run.stdout.startsWith(rec.log), `${label}: the log is printed live on stdout`);
  if (rec.listing) {
    assert.equal(s.listing, rec.listing, `${label}: droplet listing`);
    assert.equal(sorted(s.stagingInfo), sorted(rec.stagingInfo), `${label}: staging_info.yml`);
  } else {
    assert.is(s.listing, undefined, `${label}: a failed staging writes no droplet`);
  }
}

for (const rec of recordings()) {
  for (const [variant, dirOf] of [
    ['unwrapped', (d: string) => d],
    ['wrapped with no extensions', wrapEmpty],
  ] as const) {
    test(`recording ${rec.name}, ${variant}: exit code, result file, staging_info, droplet listing and log as recorded`, async () => {
      const app = join(cfBuilder, 'apps', rec.input.app);
      const before = snapshot(app);
      const cache = rec.name === 'supply-cache-dirs' ? tmp('bpx-rec-cache-') : undefined;
      assertLikeRecording(rec, await stageRecording(rec, dirOf, { cache }), variant);
      if (cache) {
        // run 2 on the same cache with the first key renamed: the old cache folder is deleted, the others kept.
        const [afterRun1, afterRun2] = recordedCacheListings(rec);
        assert.equal(cacheListing(cache), afterRun1, 'cache after run 1');
        const run2 = load(`${rec.name}/run2`, join(rec.dir, 'run2'));
        assertLikeRecording(run2, await stageRecording(run2, dirOf, { cache }), `${variant}, run 2`);
        assert.equal(cacheListing(cache), afterRun2, 'cache after run 2');
      }
      assert.equal(snapshot(app), before, 'the app folder is never modified');
    });
  }
}

test('bpx stage says at the end where the other builder would differ, and why the current one failed', async () => {
  const all = recordings();
  if (!all.length) return;
  const nested = all.find((r) => r.name === 'output-metadata-nested')!;
  const current = await stageRecording(nested, (d) => d);
  assert.is(current.run.code, 1);
  assert.match(
    current.run.stderr,
    /^warning: buildpack 'meta' deps\/1\/config\.yml output_metadata\.tool cannot be written by the builder/m,
  );
  // The same staging on the legacy builder succeeds, and bpx warns that today's builder would not.
  const legacy = await stageRecording({ ...nested, builder: 'legacy' }, (d) => d);
  assert.is(legacy.run.code, 0);
  assert.match(
    legacy.run.stderr,
    /^warning: the current builder \(buildpackapplifecycle since Feb 2026\) would fail this staging with exit 1: buildpack 'meta' deps\/1\/config\.yml output_metadata\.tool/m,
  );
  assert.not.match(legacy.resultText!, /output_metadata/);
  // A staging both builders agree on prints no warning.
  const flat = await stageRecording(
    all.find((r) => r.name === 'output-metadata-flat')!,
    (d) => d,
  );
  assert.not.match(flat.run.stderr, /warning:/);
});

/** path:mode:size of every entry, to prove the given app folder was left alone. */
function snapshot(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    const st = statSync(p);
    out.push(`${prefix}${name}:${st.mode.toString(8)}:${st.size}:${st.mtimeMs}`);
    if (st.isDirectory()) out.push(...snapshot(p, `${prefix}${name}/`));
  }
  return out;
}

test.run();
