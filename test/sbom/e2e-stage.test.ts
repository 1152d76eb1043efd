// End to end with the bundled CLI: bpx wrap + bpx stage (the CF builder's flow) with builtin:sbom, then bpx verify on the droplet.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, mkdir, writeFile, rm, readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { repoRoot, sharedDir } from './schemas.ts';
import { needShared, skip } from '../shared.ts';

const bpx = path.join(repoRoot, 'dist/bpx.cjs');

test('a droplet staged with a wrapped buildpack and builtin:sbom verifies; a changed droplet does not', async () => {
  if (!needShared(sharedDir)) return;
  if (!existsSync(bpx)) return skip(`${bpx} is absent (run node scripts/build.mjs)`);
  const work = await mkdtemp(path.join(tmpdir(), 'bpx-e2e-sbom-'));
  try {
    const run = (args: string[], env: Record<string, string> = {}) =>
      execa(process.execPath, [bpx, ...args], {
        cwd: work,
        reject: false,
        env: { ...env, PATH: process.env.PATH ?? '' },
        extendEnv: false,
      });
    assert.is((await run(['keygen', '--type', 'ecdsa-p256', '-o', 'keys/bpx'])).exitCode, 0);
    await writeFile(
      path.join(work, 'bpx.yml'),
      [
        'version: 1',
        'extensions:',
        '  - name: sbom',
        '    uses: builtin:sbom',
        '    at: [finalize:after, compile:after]',
        '    with:',
        '      formats: [cyclonedx, spdx]',
        '      signingKey: {file: keys/bpx.key}',
        '',
      ].join('\n'),
    );
    const w = await run(['wrap', path.join(sharedDir, 'cf-builder/buildpacks/ruby-ish'), '--manifest', 'bpx.yml', '-o', 'wrapped']);
    assert.is(w.exitCode, 0, w.stderr);
    const s = await run(
      [
        'stage',
        '--app',
        path.join(sharedDir, 'cf-builder/apps/web'),
        '--buildpack',
        `agent=${path.join(sharedDir, 'cf-builder/buildpacks/agent-supply')}`,
        '--buildpack',
        'ruby=wrapped',
        '--skip-detect',
        '--out',
        'out',
      ],
      { SOURCE_DATE_EPOCH: '1700000000' },
    );
    assert.is(s.exitCode, 0, `${s.stdout}\n${s.stderr}`);
    const droplet = path.join(work, 'out/droplet.tgz');
    const listing = (await execa('tar', ['-tzf', droplet])).stdout;
    assert.match(listing, /\.\/app\/\.bpx\/sbom\.intoto\.jsonl/);
    assert.not.match(listing, /bpx\.key/);
    const v = await run(['verify', droplet, '--key', 'keys/bpx.pub', '--json']);
    assert.is(v.exitCode, 0, v.stdout + v.stderr);
    assert.equal(
      JSON.parse(v.stdout).subjects.map((x: { name: string }) => x.name),
      ['app', 'deps/0', 'deps/1'],
    );
    const key = (await readFile(path.join(work, 'keys/bpx.key'), 'utf8')).split('\n')[1];
    const all = (
      await execa('sh', ['-c', `tar -xzOf "${droplet}"; cat out/staging.log out/result.json`], { cwd: work, encoding: 'buffer' })
    ).stdout;
    assert.not.ok(Buffer.from(all).includes(key), 'the private key must not be in the droplet or the log');
    // change one file of deps/0 and repack: verify names it
    const x = path.join(work, 'x');
    await mkdir(x);
    await execa('tar', ['-xzf', droplet, '-C', x]);
    await writeFile(path.join(x, 'deps/0/agent/agent.jar'), 'replaced');
    await execa('tar', ['-czf', path.join(work, 'changed.tgz'), '-C', x, '.']);
    const bad = await run(['verify', 'changed.tgz', '--key', 'keys/bpx.pub']);
    assert.is(bad.exitCode, 1);
    assert.match(bad.stderr, /FAIL subject-changed: deps\/0\/ differs from what was signed: changed: agent\/agent\.jar/);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
});

test.run();
