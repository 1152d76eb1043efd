// bpx sbom on inputs that used to give an empty SBOM marked complete: an oversized lockfile, a site-packages folder,
// a folder with nothing to capture, a droplet whose lockfile was not extracted.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { execa } from 'execa';
import { main } from '../../src/cli/main.ts';
import { extractionIssue } from '../../src/sbom/droplet-capture.ts';

const work = mkdtempSync(path.join(tmpdir(), 'bpx-sbom-cli-'));
test.after(() => rmSync(work, { recursive: true, force: true }));
const python = path.resolve(import.meta.dirname, '../catalog/managers/python/fixtures/droplet/deps/0/python/lib/python3.12/site-packages');

async function sbom(argv: string[]): Promise<{ code: number; doc: any; err: string }> {
  const out = new PassThrough();
  const err = new PassThrough();
  let o = '';
  let e = '';
  out.on('data', (d) => (o += d));
  err.on('data', (d) => (e += d));
  const code = await main(['sbom', ...argv], { stdout: out, stderr: err, stdin: new PassThrough(), env: {}, cwd: work, isTTY: false });
  return { code, doc: o ? JSON.parse(o) : undefined, err: e };
}

function write(rel: string, text: string): string {
  const file = path.join(work, rel);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  return file;
}

const aggregate = (doc: any): string => doc.compositions[0].aggregate;
const prop = (doc: any, name: string): string[] => doc.metadata.properties.filter((p: any) => p.name === name).map((p: any) => p.value);
// libraries only: a droplet's buildpacks are components too, without purl
const purls = (doc: any): string[] =>
  doc.components
    .filter((c: any) => c.purl)
    .map((c: any) => c.purl)
    .sort();

test('a lockfile over the bound: incomplete, with the reason and a hint; --max-file-bytes raises the bound', async () => {
  const lock = {
    lockfileVersion: 3,
    packages: { '': { dependencies: { a: '1' } }, 'node_modules/a': { version: '1.0.0' } },
    padding: 'x'.repeat(70 * 1024),
  };
  write('big/package-lock.json', JSON.stringify(lock));
  let r = await sbom(['big', '--max-file-bytes', '64k']);
  assert.is(r.code, 0, r.err);
  assert.equal(r.doc.components, []);
  assert.is(aggregate(r.doc), 'incomplete');
  assert.equal(prop(r.doc, 'bpx:capture:complete'), ['false']);
  assert.ok(
    prop(r.doc, 'bpx:capture:issue').some((v) => /^package-lock\.json: error: \d+ bytes is over the 65536-byte bound/.test(v)),
    JSON.stringify(prop(r.doc, 'bpx:capture:issue')),
  );
  assert.match(r.err, /error: package-lock\.json: \d+ bytes is over the 65536-byte bound/);
  assert.match(r.err, 'raise the bound with --max-file-bytes');
  assert.match(r.err, 'the capture is incomplete');
  r = await sbom(['big', '--max-file-bytes', '1m']);
  assert.equal(purls(r.doc), ['pkg:npm/a@1.0.0']);
  assert.is(aggregate(r.doc), 'complete');
  assert.is(r.err, '');
});

test('--max-file-bytes takes bytes or k/m/g; anything else is a usage error', async () => {
  for (const bad of ['lots', '0', '-5', '1.5m', '12t']) {
    const r = await sbom(['.', `--max-file-bytes=${bad}`]);
    assert.is(r.code, 2, bad);
    assert.match(r.err, `--max-file-bytes ${bad}: expected a size`);
  }
  write('small/requirements.txt', 'six==1.16.0\n');
  const r = await sbom(['small', '--max-file-bytes', '100']);
  assert.equal(purls(r.doc), ['pkg:pypi/six@1.16.0']);
});

test('a site-packages folder scanned itself: its packages, complete', async () => {
  const r = await sbom([python]);
  assert.is(r.code, 0, r.err);
  assert.equal(purls(r.doc), ['pkg:pypi/flask@3.0.3', 'pkg:pypi/legacy-pkg@0.9', 'pkg:pypi/requests@2.31.0', 'pkg:pypi/six@1.16.0']);
  assert.is(aggregate(r.doc), 'complete');
});

test('a folder with nothing to capture says so, and its SBOM is not complete', async () => {
  write('nothing/index.html', '<p>hi</p>\n');
  const r = await sbom(['nothing']);
  assert.is(r.code, 0);
  assert.equal(r.doc.components, []);
  assert.is(aggregate(r.doc), 'incomplete');
  assert.match(r.err, /error: \.: nothing to capture: no lockfile, manifest or installed package/);
});

test('a droplet whose lockfile is a link out of it: not extracted, said, incomplete', async () => {
  const tree = path.join(work, 'droplet-tree');
  write('droplet-tree/app/requirements.txt', 'six==1.16.0\n');
  write('droplet-tree/deps/0/config.yml', 'name: python_buildpack\nversion: 1.8.0\n');
  symlinkSync('/etc/hostname', path.join(tree, 'app/package-lock.json'));
  symlinkSync('/etc', path.join(tree, 'app/conf.d'));
  const tgz = path.join(work, 'droplet.tgz');
  await execa('tar', ['-czf', tgz, '-C', tree, '.']);
  const r = await sbom(['droplet.tgz']);
  assert.is(r.code, 0, r.err);
  assert.equal(purls(r.doc), ['pkg:pypi/six@1.16.0']);
  assert.is(aggregate(r.doc), 'incomplete');
  const issues = prop(r.doc, 'bpx:capture:issue');
  assert.ok(
    issues.some((v) =>
      /^app\/package-lock\.json: error: not extracted \(symlink to "\/etc\/hostname" points outside the droplet; skipped\): not captured$/.test(
        v,
      ),
    ),
    issues.join('\n'),
  );
  assert.ok(
    issues.some((v) => /^app\/conf\.d: warning: symlink to "\/etc" points outside the droplet; skipped$/.test(v)),
    issues.join('\n'),
  );
  assert.not.match(r.err, work, 'no temp or input paths in the messages');
});

test('extraction issues: entry path taken from the message, quoted or not', () => {
  const tgz = '/x/d.tgz';
  assert.equal(
    extractionIssue({ path: tgz, severity: 'warning', message: 'app/yarn.lock: file of 9 bytes is over the limit of 8; skipped' }),
    {
      path: 'app/yarn.lock',
      severity: 'error',
      message: 'not extracted (file of 9 bytes is over the limit of 8; skipped): not captured',
    },
  );
  assert.equal(extractionIssue({ path: tgz, severity: 'warning', message: 'app/a.bin: device, FIFO or unknown entry not extracted' }), {
    path: 'app/a.bin',
    severity: 'warning',
    message: 'device, FIFO or unknown entry not extracted',
  });
  assert.equal(extractionIssue({ path: tgz, severity: 'error', message: '"../evil: x": entry refused (leaves the droplet)' }), {
    path: '../evil: x',
    severity: 'error',
    message: 'entry refused (leaves the droplet)',
  });
});

test.run();
