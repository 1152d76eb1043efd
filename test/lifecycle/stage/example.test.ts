// The demo's inputs (examples/): the example buildpack stages the example app, wrapped with the example manifest.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { bpx, contents, ensureDist, readJson, repoRoot, tmp } from './helpers.ts';

ensureDist();

const ex = (p: string) => join(repoRoot, 'examples', p);

test('the example buildpack stages the example app (detect mode), logging its installs from manifest.yml', () => {
  const out = tmp();
  const r = bpx(['stage', '--app', ex('apps/hello-node'), '--buildpack', ex('buildpacks/nodejs-lite'), '--out', out], { bundled: true });
  assert.is(r.code, 0, r.stderr);
  const log = readFileSync(join(out, 'staging.log'), 'utf8');
  assert.match(log, '-----> Installing node 20.11.1\n-----> Installing npm 10.2.4\n');
  const result = readJson(join(out, 'result.json')) as { lifecycle_metadata: { buildpacks: unknown[] } };
  assert.equal(result.lifecycle_metadata.buildpacks, [{ config: {}, key: 'nodejs-lite', name: 'nodejs-lite', version: '1.9.4' }]);
});

test('wrapped with the example operator manifest: the script extension runs after finalize', async () => {
  const wrapped = join(tmp(), 'nodejs-wrapped.zip');
  const w = bpx(['wrap', ex('buildpacks/nodejs-lite'), '--manifest', ex('operator/bpx.yml'), '-o', wrapped], { bundled: true });
  assert.is(w.code, 0, w.stderr);
  const out = tmp();
  const r = bpx(['stage', '--app', ex('apps/hello-node'), '--buildpack', `nodejs=${wrapped}`, '--out', out], { bundled: true });
  assert.is(r.code, 0, r.stderr);
  const log = readFileSync(join(out, 'staging.log'), 'utf8');
  assert.match(log, /app-report.*package-lock\.json pins: debug ms/);
  const c = await contents(join(out, 'droplet.tgz'));
  assert.match(c['./app/.bpx/app-report.txt'], 'phase=finalize:after\nstack=cflinuxfs4\npackages=debug ms \n');
  assert.is(
    (readJson(join(out, 'result.json')) as { lifecycle_metadata: { buildpack_key: string } }).lifecycle_metadata.buildpack_key,
    'nodejs',
  );
});

test.run();
