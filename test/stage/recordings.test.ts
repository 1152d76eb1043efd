// bpx stage against every recording of the real Cloud Foundry builder in ../shared/cf-builder/recordings.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as tar from 'tar';
import { bpx, cfBuilder, hasShared, listing, readJson, sorted, tmp } from './helpers.ts';

interface Input {
  app: string;
  skipDetect: boolean;
  buildpacks: Array<{ key: string; dir: string }>;
}

const recordings = hasShared() ? readdirSync(join(cfBuilder, 'recordings')).sort() : [];

for (const name of recordings) {
  const rec = join(cfBuilder, 'recordings', name);
  test(`recording ${name}: same exit code, result.json, staging_info.yml, droplet listing and log`, async () => {
    const input = readJson(join(rec, 'input.json')) as Input;
    const out = tmp();
    const app = join(cfBuilder, 'apps', input.app);
    const before = snapshot(app);
    const args = ['stage', '--app', app, '--out', out];
    for (const bp of input.buildpacks) args.push('--buildpack', `${bp.key}=${join(cfBuilder, 'buildpacks', bp.dir)}`);
    if (input.skipDetect) args.push('--skip-detect');
    const r = bpx(args);

    assert.is(r.code, Number(readFileSync(join(rec, 'exit-code'), 'utf8').trim()), r.stderr);
    assert.equal(sorted(readJson(join(out, 'result.json'))), sorted(readJson(join(rec, 'result.json'))));
    assert.is(readFileSync(join(out, 'staging.log'), 'utf8'), readFileSync(join(rec, 'builder-output.txt'), 'utf8'));
    // the log is also printed live on stdout
    assert.ok(r.stdout.startsWith(readFileSync(join(rec, 'builder-output.txt'), 'utf8')));

    if (existsSync(join(rec, 'droplet-listing.txt'))) {
      const want = readFileSync(join(rec, 'droplet-listing.txt'), 'utf8').trim().split('\n').sort();
      assert.equal(await listing(join(out, 'droplet.tgz')), want);
      let info = '';
      await tar.t({
        file: join(out, 'droplet.tgz'),
        onReadEntry: (e) => {
          if (e.path === './staging_info.yml') e.on('data', (c: Buffer) => (info += c.toString()));
        },
      });
      assert.equal(sorted(JSON.parse(info)), sorted(readJson(join(rec, 'staging_info.json'))));
    } else {
      assert.not.ok(existsSync(join(out, 'droplet.tgz')), 'a failed staging writes no droplet');
    }
    assert.equal(snapshot(app), before, 'the app folder is never modified');
  });
}

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
