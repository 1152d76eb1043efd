// builtin:detect-versions at finalize:after over a droplet laid out like the nodejs buildpack's: the line and the tags it
// records list what ships, each name once (not node twice, no staging-only python).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import detectVersions from '../../extensions/detect-versions/index.ts';
import { captureMounts } from '../../src/catalog/capture.ts';
import type { BuiltinContext, StagingState } from '../../src/lifecycle/hooks/types.ts';

const fixture = new URL('../catalog/managers/tools/fixtures/yarn-in-deps/', import.meta.url).pathname;

/** Every list of `name=value` strings under a YAML value, wherever the writer puts it. */
function tagLists(v: unknown): string[][] {
  if (Array.isArray(v)) return v.every((x) => typeof x === 'string' && x.includes('=')) ? [v as string[]] : v.flatMap(tagLists);
  if (v && typeof v === 'object') return Object.values(v).flatMap(tagLists);
  return [];
}

test('finalize:after: config.yml name and recorded tags agree, each name once, nothing staging-only', async () => {
  const work = await mkdtemp(join(tmpdir(), 'bpx-dv-final-'));
  try {
    await cp(fixture, join(work, 'droplet'), { recursive: true, verbatimSymlinks: true });
    const bp = join(work, 'nodejs-buildpack');
    await mkdir(bp);
    await writeFile(join(bp, 'VERSION'), '1.8.26\n');
    await writeFile(join(bp, 'manifest.yml'), 'language: nodejs\ndefault_versions: []\ndependencies: []\n');
    const build = join(work, 'droplet/app');
    const deps = join(work, 'droplet/deps');
    const state: StagingState = {
      findings: [],
      // another extension's tag of a name already on the line is not recorded twice
      detect: [
        { name: 'node', value: '0.0.1', extension: 'other' },
        { name: 'team', value: 'payments', extension: 'other' },
      ],
      installs: [
        { name: 'python', version: '3.11.9' },
        { name: 'node', version: '20.18.0' },
        { name: 'yarn', version: '1.22.22' },
      ],
      metadata: {},
    };
    const lines: string[] = [];
    const ctx: BuiltinContext = {
      hook: {
        version: 1,
        extension: 'versions',
        phase: 'finalize',
        when: 'after',
        app: {},
        buildpacks: [],
        stack: 'cflinuxfs4',
        dirs: { build, deps, depsIdx: '0' },
      },
      with: {},
      manifestDir: work,
      operator: true,
      env: {},
      state,
      capture: () =>
        captureMounts([
          { prefix: 'app/', dir: build },
          { prefix: 'deps/', dir: deps },
        ]),
      log: (l) => lines.push(l),
      signal: new AbortController().signal,
      buildpack: { dir: bp },
      final: true,
    };
    const r = await detectVersions.run(ctx);
    const want = 'nodejs-buildpack=v1.8.26 node=20.18.0 npm=10.8.2 yarn=1.22.22 ms=2.1.3 team=payments';
    assert.equal(r.metadata, { detect: want });
    const config = parse(await readFile(join(deps, '0/config.yml'), 'utf8')) as Record<string, unknown>;
    assert.is(config.name, want);
    const lists = tagLists(config.output_metadata);
    assert.is(lists.length, 1, JSON.stringify(config.output_metadata));
    assert.equal(lists[0], want.split(' ').slice(1));
  } finally {
    await rm(work, { recursive: true, force: true });
  }
});

test.run();
