// The line after the final phase lists what ships in the droplet (app/ and deps/), each tag once: runtimes the capture
// found, the package manager at its shipped version, tools supply installed, the direct dependencies.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { captureMounts } from '../../src/catalog/capture.ts';
import { composeLine, uniqueTags } from '../../src/detect/line.ts';
import { finalDetectTags } from '../../src/detect/predict.ts';
import type { Capture } from '../../src/model/index.ts';
import { nodejsDroplet } from '../catalog/real-droplet.ts';

const tools = new URL('../catalog/managers/tools/fixtures/', import.meta.url).pathname;
let bps: string;

/** A buildpack folder with only what the head of the line is made from (manifest.yml language and VERSION). */
async function buildpack(language: string, version: string): Promise<string> {
  const dir = await mkdtemp(join(bps, `${language}-`));
  await writeFile(join(dir, 'manifest.yml'), `---\nlanguage: ${language}\ndefault_versions: []\ndependencies: []\n`);
  await writeFile(join(dir, 'VERSION'), `${version}\n`);
  return dir;
}

/** The droplet as finalize:after sees it: BUILD_DIR as app/, DEPS_DIR as deps/. */
function captureDroplet(root: string): Promise<Capture> {
  return captureMounts([
    { prefix: 'app/', dir: join(root, 'app') },
    { prefix: 'deps/', dir: join(root, 'deps') },
  ]);
}

async function finalLine(
  root: string,
  language: string,
  version: string,
  installs: Array<{ name: string; version: string }>,
  capture?: Capture,
) {
  const r = await finalDetectTags({
    appDir: join(root, 'app'),
    buildpackDir: await buildpack(language, version),
    stack: 'cflinuxfs4',
    capture: capture ?? (await captureDroplet(root)),
    installs,
  });
  return { line: composeLine(r.head, r.tags), tags: r.tags };
}

const names = (tags: Array<{ name: string }>) => tags.map((t) => t.name);

test.before(async () => {
  bps = await mkdtemp(join(tmpdir(), 'bpx-final-'));
});
test.after(async () => {
  await rm(bps, { recursive: true, force: true });
});

test("the real nodejs-buildpack droplet: no staging-only python, npm from node's bundled npm, yarn, node once", async () => {
  const dir = nodejsDroplet();
  if (!dir) return;
  // what nodejs-buildpack v1.8.26's supply logged: python into /tmp/nodejs-buildpack/python, node and yarn into deps/0
  const installs = [
    { name: 'python', version: '3.11.9' },
    { name: 'node', version: '18.20.3' },
    { name: 'yarn', version: '1.22.19' },
  ];
  const { line, tags } = await finalLine(join(dir, 'droplet'), 'nodejs', '1.8.26', installs);
  assert.is(line, 'nodejs-buildpack=v1.8.26 node=18.20.3 npm=10.7.0 yarn=1.22.19 express=4.19.2');
  assert.equal(names(tags), ['node', 'npm', 'yarn', 'express']);
});

test('yarn-in-deps fixture: the same without ../shared', async () => {
  const installs = [
    { name: 'python', version: '3.11.9' },
    { name: 'node', version: '20.18.0' },
    { name: 'yarn', version: '1.22.22' },
  ];
  const { line, tags } = await finalLine(join(tools, 'yarn-in-deps'), 'nodejs', '1.8.26', installs);
  assert.is(line, 'nodejs-buildpack=v1.8.26 node=20.18.0 npm=10.8.2 yarn=1.22.22 ms=2.1.3');
  assert.is(new Set(names(tags)).size, tags.length);
});

test('pip-in-deps and bundler-in-deps: the package manager at the version that ships in deps/', async () => {
  const py = await finalLine(join(tools, 'pip-in-deps'), 'python', '1.8.30', [{ name: 'python', version: '3.12.7' }]);
  assert.is(py.line, 'python-buildpack=v1.8.30 python=3.12.7 pip=24.2 six=1.16.0');
  const rb = await finalLine(join(tools, 'bundler-in-deps'), 'ruby', '1.10.18', [
    { name: 'ruby', version: '3.3.6' },
    { name: 'bundler', version: '2.5.22' },
  ]);
  assert.is(rb.line, 'ruby-buildpack=v1.10.18 ruby=3.3.6 bundler=2.5.22 rack=3.1.8');
});

test('an install the capture cannot recognise stays as logged; a runtime shows the version that ships', async () => {
  const root = join(tools, 'yarn-in-deps');
  const installs = [
    { name: 'apm-agent', version: '7.1.0' },
    { name: 'node', version: '20.17.0' },
    { name: 'pnpm', version: '9.0.0' },
  ];
  const { line } = await finalLine(root, 'nodejs', '1.8.26', installs);
  // pnpm was logged but is nowhere in app/ or deps/: left out, like python
  assert.is(line, 'nodejs-buildpack=v1.8.26 apm-agent=7.1.0 node=20.18.0 npm=10.8.2 ms=2.1.3');
});

test('without a capture, the log is all there is', async () => {
  const r = await finalDetectTags({
    appDir: join(tools, 'yarn-in-deps/app'),
    buildpackDir: await buildpack('nodejs', '1.8.26'),
    installs: [
      { name: 'node', version: '20.18.0' },
      { name: 'node', version: '20.18.0' },
    ],
  });
  assert.equal(r.tags, [{ name: 'node', value: '20.18.0' }]);
});

test('uniqueTags: each name once, the first wins, names as the line spells them', () => {
  assert.equal(
    uniqueTags([
      { name: 'node', value: '20.1.0' },
      { name: 'npm', value: '10.0.0' },
      { name: 'node', value: '20.1.0' },
      { name: 'a=b', value: '1' },
      { name: 'a_b', value: '2' },
      { name: '', value: 'x' },
    ]),
    [
      { name: 'node', value: '20.1.0' },
      { name: 'npm', value: '10.0.0' },
      { name: 'a=b', value: '1' },
    ],
  );
});

test.run();
