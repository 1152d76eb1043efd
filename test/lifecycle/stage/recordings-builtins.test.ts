// The real builder's recordings staged through buildpacks wrapped with EVERY built-in (detect-versions, capture,
// license-policy, osv, signed sbom): Cloud Foundry must see the same staging, plus only what bpx adds. The exit code,
// processes, sidecars and buildpack keys are the recorded ones; config.yml holds only flat output_metadata values
// (the current builder fails on anything nested); bpx's files are only under app/.bpx or deps/<idx>/bpx; every
// recorded log line appears in order.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { bpx, fixtures, tmp } from './helpers.ts';
import { assertSubsequence, recordings, stageRecording } from './recordings.ts';
import { isFlatValue } from '../../../src/platform/config-yml.ts';

interface Result {
  lifecycle_metadata: {
    buildpack_key?: string;
    detected_buildpack: string;
    buildpacks: Array<{ key: string; name: string; output_metadata?: Record<string, unknown> }>;
  };
  process_types: Record<string, string> | null;
  processes?: unknown;
  sidecars?: unknown;
}

let manifest: string | undefined;
/** all-builtins.yml with absolute paths to the vendored OSV database and a fresh signing key. */
function allBuiltins(): string {
  if (manifest) return manifest;
  const dir = tmp('bpx-rec-manifest-');
  const k = bpx(['keygen', '-o', join(dir, 'signing')]);
  assert.is(k.code, 0, k.stderr);
  const text = readFileSync(join(fixtures, 'manifests', 'all-builtins.yml'), 'utf8')
    .replace('db: ../osv-db', `db: ${join(fixtures, 'osv-db')}`)
    .replace('formats: [cyclonedx, spdx]}', `formats: [cyclonedx, spdx], signingKey: {file: ${join(dir, 'signing.key')}}}`);
  manifest = join(dir, 'bpx.yml');
  writeFileSync(manifest, text);
  return manifest;
}

const wrapped = new Map<string, string>();
function wrapAll(dir: string): string {
  if (!wrapped.has(dir)) {
    const out = join(tmp('bpx-rec-wrap-all-'), 'wrapped');
    const r = bpx(['wrap', dir, '--manifest', allBuiltins(), '-o', out]);
    assert.is(r.code, 0, `bpx wrap ${dir}: ${r.stderr}`);
    wrapped.set(dir, out);
  }
  return wrapped.get(dir)!;
}

for (const rec of recordings()) {
  test(`recording ${rec.name}, wrapped with every built-in: CF sees the recorded staging plus flat bpx metadata`, async () => {
    const cache = rec.name === 'supply-cache-dirs' ? tmp('bpx-rec-cache-') : undefined;
    const s = await stageRecording(rec, wrapAll, { cache });
    assert.is(s.run.code, rec.exitCode, `exit code\n${s.log}\n${s.run.stderr}`);
    assertSubsequence(s.log, rec.log, 'every recorded log line, in order');
    if (rec.raw === undefined) {
      assert.is(s.resultText, undefined, 'no result file, as recorded');
      return;
    }
    if (rec.raw === '') {
      assert.is(s.resultText, '', 'an empty result file, as recorded');
      return;
    }
    const want = JSON.parse(rec.raw) as Result;
    const got = JSON.parse(s.resultText!) as Result;
    assert.equal(got.process_types, want.process_types);
    assert.equal(got.processes, want.processes);
    assert.equal(got.sidecars, want.sidecars);
    assert.is(got.lifecycle_metadata.buildpack_key, want.lifecycle_metadata.buildpack_key);
    assert.equal(
      got.lifecycle_metadata.buildpacks.map((b) => b.key),
      want.lifecycle_metadata.buildpacks.map((b) => b.key),
    );
    const word = (name: string) => name.split(/\s+/)[0].split('=')[0];
    for (const [i, b] of got.lifecycle_metadata.buildpacks.entries()) {
      // an enriched name still starts with the buildpack's own name (never the wrapper's folder, `inner`)
      const recordedName = want.lifecycle_metadata.buildpacks[i].name;
      if (recordedName) assert.is(word(b.name), word(recordedName), `name ${JSON.stringify(b.name)} keeps ${JSON.stringify(recordedName)}`);
      const recorded = want.lifecycle_metadata.buildpacks[i].output_metadata ?? {};
      for (const [k, v] of Object.entries(b.output_metadata ?? {})) {
        if (k in recorded) assert.equal(v, recorded[k], `the buildpack's own output_metadata.${k} is kept`);
        else {
          assert.ok(k.startsWith('bpx_'), `only bpx_ keys are added: ${k}`);
          assert.ok(isFlatValue(v), `output_metadata.${k} is flat: ${JSON.stringify(v)}`);
        }
      }
    }
    if (rec.listing && s.listing) {
      const extra = s.listing.filter((l) => !rec.listing!.includes(l));
      for (const l of extra) assert.match(l, /^[dfl] \d+ \.\/(app\/\.bpx|deps\/\d+\/bpx)(\/|$)/, `only bpx's own outputs are added: ${l}`);
      assert.equal(
        rec.listing.filter((l) => !s.listing!.includes(l)),
        [],
        'nothing recorded is missing',
      );
    } else {
      assert.is(s.listing, rec.listing, 'a droplet exactly when the builder wrote one');
    }
  });
}

test.run();
