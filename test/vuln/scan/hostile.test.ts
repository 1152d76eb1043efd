// A hostile droplet (../, absolute paths, symlinks out, links through them, a device, an oversized pax header)
// is scanned without writing anything outside a temporary folder, and the temporary folder is removed.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { cli, tempDir } from './helpers.ts';

// one ustar header block (POSIX.1-1988): name, mode, uid, gid, size, mtime, chksum, typeflag, linkname, magic...
function header(name: string, opts: { type?: string; size?: number; link?: string; mode?: number; dev?: [number, number] } = {}): Buffer {
  const b = Buffer.alloc(512);
  const put = (s: string, off: number, len: number) => b.write(s.slice(0, len), off, len, 'latin1');
  const oct = (n: number, off: number, len: number) => put(`${n.toString(8).padStart(len - 1, '0')}\0`, off, len);
  put(name, 0, 100);
  oct(opts.mode ?? 0o644, 100, 8);
  oct(0, 108, 8);
  oct(0, 116, 8);
  oct(opts.size ?? 0, 124, 12);
  oct(1_700_000_000, 136, 12);
  b.fill(' ', 148, 156);
  put(opts.type ?? '0', 156, 1);
  put(opts.link ?? '', 157, 100);
  put('ustar\u000000', 257, 8);
  if (opts.dev) {
    oct(opts.dev[0], 329, 8);
    oct(opts.dev[1], 337, 8);
  }
  let sum = 0;
  for (const x of b) sum += x;
  put(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8);
  return b;
}

function file(name: string, body: string | Buffer, opts: { type?: string } = {}): Buffer {
  const data = Buffer.isBuffer(body) ? body : Buffer.from(body);
  const pad = Buffer.alloc((512 - (data.length % 512)) % 512);
  return Buffer.concat([header(name, { size: data.length, ...opts }), data, pad]);
}

const lock = JSON.stringify({
  name: 'x',
  lockfileVersion: 3,
  packages: { '': { name: 'x', dependencies: { minimist: '1.2.5' } }, 'node_modules/minimist': { version: '1.2.5' } },
});

test('hostile droplet: scanned (captured) without writing outside the temporary folder', async () => {
  const root = tempDir('bpx-hostile-');
  const outside = join(root, 'outside');
  const tmp = join(root, 'tmp');
  mkdirSync(outside);
  mkdirSync(tmp);
  const savedTmp = process.env.TMPDIR;
  try {
    const pax = `${'x'.repeat(64)}`.repeat(40_000); // ~2.5 MB extended header, far above any sane limit
    const tarball = Buffer.concat([
      header('./', { type: '5', mode: 0o755 }),
      header('./app/', { type: '5', mode: 0o755 }),
      file('../evil-dotdot.json', '{}'),
      file('./app/../../evil-dotdot2.json', '{}'),
      file(join(outside, 'evil-absolute.json'), '{}'),
      header('./app/node_modules', { type: '2', link: outside }),
      file('./app/node_modules/package.json', '{"name":"evil","version":"6.6.6"}'),
      header('./app/up', { type: '2', link: '../../../../../../../../../..' + outside }),
      file('./app/up/evil-through-link.json', '{}'),
      header('./app/passwd', { type: '1', link: '/etc/passwd' }),
      header('./app/null', { type: '3', dev: [1, 3], mode: 0o666 }),
      header('./app/fifo', { type: '6' }),
      file('PaxHeader/huge', `${pax.length + 12} path=${pax}\n`, { type: 'x' }),
      file('./app/package-lock.json', lock),
      file('./app/package.json', JSON.stringify({ name: 'x', dependencies: { minimist: '1.2.5' } })),
      Buffer.alloc(1024),
    ]);
    writeFileSync(join(root, 'hostile.tgz'), gzipSync(tarball));
    const db = join(root, 'db');
    mkdirSync(db);
    writeFileSync(
      join(db, 'x.json'),
      JSON.stringify({
        id: 'GHSA-xvch-5gv4-984h',
        modified: '2024-01-01T00:00:00Z',
        affected: [
          {
            package: { ecosystem: 'npm', name: 'minimist' },
            ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.2.6' }] }],
          },
        ],
      }),
    );
    process.env.TMPDIR = tmp;
    const r = await cli(['scan', 'hostile.tgz', '--db', 'db', '--json'], root);
    assert.is(r.code, 0, r.err);
    const t = JSON.parse(r.out).targets[0];
    assert.equal(t.sbom, { source: 'captured', signature: 'not-checked' });
    assert.equal(
      t.findings.map((f: { id: string; purl: string }) => `${f.id} ${f.purl}`),
      ['GHSA-xvch-5gv4-984h pkg:npm/minimist@1.2.5'],
    );
    // nothing escaped: not beside the droplet, not in outside/, not in the parent of the temp dir
    assert.equal(readdirSync(outside), []);
    assert.not.ok(existsSync(join(root, 'evil-dotdot.json')));
    assert.not.ok(existsSync(join(root, '..', 'evil-dotdot.json')));
    assert.not.ok(existsSync(join(root, 'evil-dotdot2.json')));
    assert.not.ok(existsSync(join(root, 'evil-through-link.json')));
    // and the extraction folder was removed
    assert.equal(readdirSync(tmp), []);
    // the refusals are reported as warnings naming the entries
    assert.match(r.err, /evil-dotdot/);
    assert.match(r.err, /absolute/);
    assert.not.match(r.err, /internal error/);
  } finally {
    if (savedTmp === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = savedTmp;
    rmSync(root, { recursive: true, force: true });
  }
});

test.run();
