// bpx stage on the fixture bash buildpacks: every phase, every failure code, padding, zips, Procfile, launch.yml.
import { existsSync, readFileSync, cpSync, writeFileSync, createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import yazl from 'yazl';
import { stage } from '../../../src/lifecycle/stage/index.ts';
import { bpx, contents, listing, readJson, tmp } from './helpers.ts';
import { appDir, bpDir, scenarios, stageScenario, type Scenario } from './scenarios.ts';

const run = (s: Scenario, out?: string) => stageScenario(s, bpDir, out);

const byName = (n: string) => scenarios.find((s) => s.name === n)!;

for (const s of scenarios) {
  test(`${s.name}: exit ${s.exitCode}`, async () => {
    const o = await run(s);
    assert.is(o.exitCode, s.exitCode, o.log);
    // the builder writes no result file when nothing detected; otherwise always one
    if (s.exitCode === 222) assert.is(o.resultPath, undefined);
    else assert.ok(o.resultPath && existsSync(o.resultPath));
    if (s.error) {
      assert.ok(o.log.endsWith(`${s.error}\n`), o.log);
      assert.is(o.result.process_types, null);
      assert.is(o.dropletPath, undefined);
      if (o.resultPath) assert.is((readJson(o.resultPath) as { processes?: unknown }).processes, undefined);
    } else {
      assert.ok(o.dropletPath && existsSync(o.dropletPath));
    }
  });
}

test('full buildpack: argv, env, deps/0, profile.d, modes, result.json', async () => {
  const o = await run(byName('full buildpack, detect mode'));
  assert.match(o.log, 'argv: 4 args, DEPS_IDX=0, CF_STACK=cflinuxfs4, LANG=en_US.UTF-8');
  assert.match(o.log, 'VCAP_APPLICATION={"application_name":"node-app"');
  assert.match(o.log, 'this goes to stderr\n');
  assert.equal(o.result, {
    execution_metadata: '',
    lifecycle_metadata: {
      buildpack_key: 'full',
      buildpacks: [{ key: 'full', name: 'full-fixture', version: '2.3.4', config: { entrypoint_prefix: '' } }],
      detected_buildpack: 'full-fixture',
    },
    lifecycle_type: 'buildpack',
    process_types: { web: 'node server.js', worker: 'node worker.js' },
    processes: [
      { type: 'web', command: 'node server.js' },
      { type: 'worker', command: 'node worker.js' },
    ],
  });
  const l = await listing(o.dropletPath!);
  for (const line of [
    'd 755 ./app',
    'f 600 ./app/.cfg/built.txt',
    'f 644 ./app/package.json',
    'f 644 ./app/lib/x.js',
    'f 755 ./deps/0/node/bin/node',
    'f 644 ./deps/0/config.yml',
    'f 644 ./profile.d/00-node.sh',
    'f 644 ./staging_info.yml',
    'd 755 ./tmp',
    'd 755 ./logs',
  ])
    assert.ok(l.includes(line), `${line} in\n${l.join('\n')}`);
  const top = new Set(l.map((x) => x.split(' ')[2].split('/').slice(0, 2).join('/')));
  assert.equal([...top].sort(), ['./app', './deps', './logs', './profile.d', './staging_info.yml', './tmp']);
  const c = await contents(o.dropletPath!);
  assert.equal(JSON.parse(c['./staging_info.yml']), {
    config: { entrypoint_prefix: '' },
    detected_buildpack: 'full-fixture',
    start_command: 'node server.js',
  });
  assert.not.ok(
    Object.keys(c).some((p) => p.includes('downloads')),
    'the cache never reaches the droplet',
  );
});

test('compile-only: detect output is the name, its deps dir is deleted, no supply metadata', async () => {
  const o = await run(byName('compile-only (Heroku style), detect mode'));
  assert.is(o.result.lifecycle_metadata.detected_buildpack, 'compile-only-fixture');
  assert.equal(o.result.lifecycle_metadata.buildpacks, [{ key: 'compile-only', name: 'compile-only-fixture' }]);
  const l = await listing(o.dropletPath!);
  assert.ok(l.includes('d 755 ./deps'));
  assert.not.ok(l.some((x) => x.includes('./deps/0')));
  assert.ok(l.includes('f 644 ./app/public/index.html'));
});

test('named supply-only then compile-only: the builder warning, deps/0 kept, deps/1 deleted', async () => {
  const o = await run(byName('supply-only then compile-only, named'));
  assert.is(
    o.log,
    '-----> Installing tool-0 1.0.0\n' +
      'Warning: the last buildpack is not compatible with multi-buildpack apps and cannot make use of any dependencies supplied by the buildpacks specified before it\n' +
      '-----> compiled\n',
  );
  const l = await listing(o.dropletPath!);
  assert.ok(l.includes('f 644 ./deps/0/tool/idx'));
  assert.not.ok(l.some((x) => x.includes('./deps/1')));
  assert.equal(o.result.lifecycle_metadata.buildpacks, [
    { key: 'supply-only', name: 'supply-only', version: '1.0.0' },
    { key: 'compile-only', name: '' },
  ]);
  assert.is(o.result.lifecycle_metadata.detected_buildpack, '');
});

test('launch.yml: processes and sidecars from it, release not run', async () => {
  const o = await run(byName('launch.yml instead of release'));
  assert.not.match(o.log, 'release must not run');
  assert.equal(o.result.process_types, { web: './bin/server --port $PORT', worker: './bin/worker' });
  assert.equal(o.result.sidecars, [{ name: 'proxy', process_types: ['web'], command: './bin/envoy' }]);
  assert.is(o.stagingInfo?.start_command, './bin/server --port $PORT');
});

test('Procfile: overrides web and adds its own types', async () => {
  const o = await run(byName('Procfile over release'));
  assert.equal(o.result.process_types, { web: 'node custom.js', worker: 'node worker.js', clock: 'node clock.js' });
});

test('no web process: the builder warns', async () => {
  const app = join(tmp(), 'noweb');
  cpSync(appDir('node-app'), app, { recursive: true });
  writeFileSync(join(app, 'Procfile'), 'web: ""\n');
  const o = await stage({
    appDir: app,
    buildpacks: [{ key: 'full', path: bpDir('full') }],
    skipDetect: false,
    stack: 'cflinuxfs4',
    outDir: tmp(),
    path: process.env.PATH!,
    home: '/tmp',
    tmpRoot: tmp(),
  });
  assert.is(o.exitCode, 0);
  assert.match(
    readFileSync(o.logPath, 'utf8'),
    'No start command specified by buildpack or via Procfile.\nApp will not start unless a command is provided at runtime.\n',
  );
});

test('11 buildpacks: DEPS_IDX 00..10', async () => {
  const bps = Array.from({ length: 10 }, (_, i) => ({ key: `tool${i}`, path: bpDir('supply-only') }));
  bps.push({ key: 'full', path: bpDir('full') });
  const o = await stage({
    appDir: appDir('node-app'),
    buildpacks: bps,
    skipDetect: true,
    stack: 'cflinuxfs4',
    outDir: tmp(),
    path: process.env.PATH!,
    home: '/tmp',
    tmpRoot: tmp(),
  });
  assert.is(o.exitCode, 0);
  const log = readFileSync(o.logPath, 'utf8');
  for (let i = 0; i < 10; i++) assert.match(log, `-----> Installing tool-0${i} 1.0.${i}\n`);
  assert.match(log, 'DEPS_IDX=10,');
  const l = await listing(o.dropletPath!);
  const depDirs = l.filter((x) => /^d 755 \.\/deps\/\d+$/.test(x)).map((x) => x.split('/').pop());
  assert.equal(depDirs, ['00', '01', '02', '03', '04', '05', '06', '07', '08', '09', '10']);
  assert.ok(l.includes('f 644 ./deps/07/tool/idx'));
  assert.is(o.result.lifecycle_metadata.buildpacks.length, 11);
  assert.equal(o.result.lifecycle_metadata.buildpacks[3], { key: 'tool3', name: 'supply-only', version: '1.0.0' });
});

async function zipDir(dir: string, zipPath: string, prefix: string, extra?: (z: yazl.ZipFile) => void) {
  const z = new yazl.ZipFile();
  for (const f of ['VERSION', 'bin/detect', 'bin/supply', 'bin/finalize', 'bin/release']) {
    z.addFile(join(dir, f), `${prefix}${f}`, { mode: f.startsWith('bin/') ? 0o100755 : 0o100644 });
  }
  extra?.(z);
  z.end();
  const ws = createWriteStream(zipPath);
  z.outputStream.pipe(ws);
  await once(ws, 'close');
}

test('a zip buildpack with one top folder: key from the zip name, staged like the folder', async () => {
  const d = tmp();
  const zip = join(d, 'full-zipped.zip');
  await zipDir(bpDir('full'), zip, 'full-buildpack-v2.3.4/');
  const out = tmp();
  const r = bpx(['stage', '--app', appDir('node-app'), '--buildpack', zip, '--out', out, '--json']);
  assert.is(r.code, 0, r.stderr);
  const summary = JSON.parse(r.stdout);
  assert.is(summary.buildpackKey, 'full-zipped');
  assert.is(summary.detectedBuildpack, 'full-fixture');
  assert.ok(existsSync(join(out, 'droplet.tgz')));
});

test('a zip with an entry escaping the target is refused', async () => {
  const d = tmp();
  const zip = join(d, 'evil.zip');
  // yazl refuses '../' names, so write a same-length placeholder and patch it in (local header and central dir).
  await zipDir(bpDir('full'), zip, '', (z) => z.addBuffer(Buffer.from('x'), 'aa/aa/escaped.txt'));
  const bytes = readFileSync(zip);
  const from = Buffer.from('aa/aa/escaped.txt');
  for (let i = bytes.indexOf(from); i >= 0; i = bytes.indexOf(from, i + 1)) Buffer.from('../../escaped.txt').copy(bytes, i);
  writeFileSync(zip, bytes);
  const r = bpx(['stage', '--app', appDir('node-app'), '--buildpack', zip, '--out', tmp()]);
  assert.is(r.code, 2);
  assert.match(r.stderr, "buildpack 'evil': cannot extract");
  assert.match(r.stderr, "entry '../../escaped.txt' escapes the target directory");
  assert.not.match(r.stderr, /at .*\.ts:\d+/, 'no stack trace');

  const linkZip = join(d, 'linky.zip');
  await zipDir(bpDir('full'), linkZip, '', (z) => z.addBuffer(Buffer.from('../../../etc'), 'bin/out', { mode: 0o120777 }));
  const r2 = bpx(['stage', '--app', appDir('node-app'), '--buildpack', linkZip, '--out', tmp()]);
  assert.is(r2.code, 2);
  assert.match(r2.stderr, "entry 'bin/out' is a symbolic link pointing outside the buildpack (../../../etc)");
});

test('bad arguments: usage errors with exit 2, no stack trace', () => {
  const r1 = bpx(['stage', '--buildpack', bpDir('full'), '--out', tmp()]);
  assert.is(r1.code, 2);
  assert.match(r1.stderr, '--app DIR is required');
  const r2 = bpx(['stage', '--app', '/nonexistent/app', '--buildpack', bpDir('full'), '--out', tmp()]);
  assert.is(r2.code, 2);
  assert.match(r2.stderr, '/nonexistent/app: not a folder');
  const r3 = bpx(['stage', '--app', appDir('plain'), '--buildpack', '/nonexistent/bp', '--out', tmp()]);
  assert.is(r3.code, 2);
  assert.match(r3.stderr, '/nonexistent/bp does not exist');
  const r4 = bpx(['stage', '--help']);
  assert.is(r4.code, 0);
  assert.match(r4.stdout, '--skip-detect');
});

test('SOURCE_DATE_EPOCH: two stagings give byte-identical droplets', async () => {
  const a = tmp(),
    b = tmp();
  const args = (o: string) => ['stage', '--app', appDir('node-app'), '--buildpack', bpDir('full'), '--out', o, '--json'];
  assert.is(bpx(args(a), { env: { SOURCE_DATE_EPOCH: '1700000000' } }).code, 0);
  assert.is(bpx(args(b), { env: { SOURCE_DATE_EPOCH: '1700000000' } }).code, 0);
  assert.ok(readFileSync(join(a, 'droplet.tgz')).equals(readFileSync(join(b, 'droplet.tgz'))));
});

test.run();
