import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { predictDetectTags, finalDetectTags } from '../../src/detect/predict.ts';
import { readRuntimeRequests, nvmrcConstraint } from '../../src/detect/requested.ts';
import { composeLine, DETECT_LINE_LIMIT } from '../../src/detect/line.ts';
import { makeComponent } from '../../src/model/index.ts';
import type { Capture } from '../../src/model/index.ts';

const fixtures = new URL('./fixtures/', import.meta.url).pathname;
const bp = join(fixtures, 'buildpacks/nodejs-lite');

const capture: Capture = {
  complete: true,
  issues: [],
  components: [
    makeComponent({
      ecosystem: 'npm',
      name: 'body-parser',
      version: '1.20.2',
      direct: true,
      location: { path: 'package-lock.json', source: 'lockfile' },
    }),
    makeComponent({
      ecosystem: 'npm',
      name: 'express',
      version: '4.18.2',
      direct: true,
      location: { path: 'package-lock.json', source: 'lockfile' },
    }),
    makeComponent({
      ecosystem: 'npm',
      name: 'mocha',
      version: '10.2.0',
      direct: true,
      scope: 'dev',
      location: { path: 'package-lock.json', source: 'lockfile' },
    }),
    makeComponent({ ecosystem: 'npm', name: 'qs', version: '6.11.0', location: { path: 'package-lock.json', source: 'lockfile' } }),
  ],
};

test('detect: runtime predicted from engines.node against the stack-filtered manifest, frameworks first, dev left out', async () => {
  const r = await predictDetectTags({ appDir: join(fixtures, 'apps/express-app'), buildpackDir: bp, stack: 'cflinuxfs4', capture });
  assert.is(r.head, 'nodejs-buildpack=v1.8.2');
  assert.is(composeLine(r.head, r.tags), 'nodejs-buildpack=v1.8.2 node=20.18.0 express=4.18.2 body-parser=1.20.2');
});

test('detect: cf_stacks filter changes the pick (22.11.0 only exists on cflinuxfs3)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'bpx-detect-'));
  try {
    await writeFile(join(dir, 'package.json'), JSON.stringify({ engines: { node: '22.11.x' } }));
    const fs4 = await predictDetectTags({ appDir: dir, buildpackDir: bp, stack: 'cflinuxfs4' });
    const fs3 = await predictDetectTags({ appDir: dir, buildpackDir: bp, stack: 'cflinuxfs3' });
    assert.equal(fs4.tags, []);
    assert.equal(fs3.tags, [{ name: 'node', value: '22.11.0' }]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('detect: .nvmrc is read when engines.node is absent; the default line applies when nothing is asked', async () => {
  const nvm = await predictDetectTags({ appDir: join(fixtures, 'apps/nvmrc-app'), buildpackDir: bp, stack: 'cflinuxfs4' });
  assert.equal(nvm.tags, [{ name: 'node', value: '18.20.4' }]);
  const dir = await mkdtemp(join(tmpdir(), 'bpx-detect-'));
  try {
    await writeFile(join(dir, 'package.json'), '{"name":"x"}');
    const def = await predictDetectTags({ appDir: dir, buildpackDir: bp, stack: 'cflinuxfs4' });
    assert.equal(def.tags, [{ name: 'node', value: '20.18.0' }]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('nvmrc forms as the nodejs buildpack formats them', () => {
  assert.is(nvmrcConstraint('node\n'), '*');
  assert.is(nvmrcConstraint('lts/*'), '24.*.*');
  assert.is(nvmrcConstraint('lts/hydrogen'), '18.*.*');
  assert.is(nvmrcConstraint('v20'), '20.*.*');
  assert.is(nvmrcConstraint('20.11'), '20.11.*');
  assert.is(nvmrcConstraint('20.11.1'), '20.11.1');
  assert.is(nvmrcConstraint('lts/unknown'), undefined);
});

test('runtime requests from every file the buildpacks read', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'bpx-req-'));
  try {
    await writeFile(join(dir, 'runtime.txt'), 'python-3.11.x\n');
    await writeFile(join(dir, 'Gemfile'), "source 'https://rubygems.org'\nruby '~> 3.3'\ngem 'rails'\n");
    await writeFile(join(dir, 'go.mod'), 'module example.com/x\n\ngo 1.22\n');
    await writeFile(join(dir, 'system.properties'), 'java.runtime.version=17\n');
    await writeFile(join(dir, 'composer.json'), '{"require": {"php": ">=8.1"}}');
    await writeFile(join(dir, 'global.json'), '{"sdk": {"version": "8.0.100"}}');
    const reqs = await readRuntimeRequests(dir);
    assert.equal(
      reqs.map((r) => [r.runtime, r.constraint, r.from]),
      [
        ['python', '3.11.x', 'runtime.txt'],
        ['ruby', '~>3.3', 'Gemfile'],
        ['go', '1.22.x', 'go.mod'],
        ['openjdk', '17.x', 'system.properties'],
        ['php', '>=8.1', 'composer.json'],
        ['dotnet-sdk', '8.0.100', 'global.json'],
      ],
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('after the final phase: installs logged by supply and runtimes found win over predictions', async () => {
  const node = makeComponent({
    ecosystem: 'generic',
    name: 'node',
    version: '20.11.1',
    kind: 'runtime',
    location: { path: 'deps/0/node/include/node/node_version.h', source: 'runtime' },
  });
  const r = await finalDetectTags({
    appDir: join(fixtures, 'apps/express-app'),
    buildpackDir: bp,
    stack: 'cflinuxfs4',
    capture: { ...capture, components: [...capture.components, node] },
    installs: [{ name: 'node', version: '20.11.1' }],
  });
  assert.is(composeLine(r.head, r.tags), 'nodejs-buildpack=v1.8.2 node=20.11.1 express=4.18.2 body-parser=1.20.2');
});

test('the line: one line, at most 255 characters, first tag of a name wins, deterministic', () => {
  const many = Array.from({ length: 80 }, (_, i) => ({ name: `package-number-${i}`, value: `1.${i}.0` }));
  const line = composeLine('nodejs-buildpack=v1.8.2', [{ name: 'node', value: '20.1.0' }, { name: 'node', value: '9.9.9' }, ...many]);
  assert.ok(line.length <= DETECT_LINE_LIMIT, `length ${line.length}`);
  assert.ok(line.length > 200, 'the line is filled up to the limit');
  assert.not.match(line, /[\r\n]/);
  assert.ok(line.includes('node=20.1.0') && !line.includes('node=9.9.9'));
  assert.is(line, composeLine('nodejs-buildpack=v1.8.2', [{ name: 'node', value: '20.1.0' }, { name: 'node', value: '9.9.9' }, ...many]));
  assert.is(composeLine('x', [{ name: 'evil\nname', value: 'a b\r\nc' }]), 'x evil_name=a_b_c');
  assert.is(composeLine('h'.repeat(400), []).length, DETECT_LINE_LIMIT);
});

test.run();
