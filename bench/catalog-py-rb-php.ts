// Bench for the Python, Bundler and Composer managers: a generated droplet (lockfiles + installed trees) in a temp dir.
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { scanContextForDir } from '../src/catalog/context.ts';
import { bundler } from '../src/catalog/managers/bundler/index.ts';
import { composer } from '../src/catalog/managers/composer/index.ts';
import { python } from '../src/catalog/managers/python/index.ts';
import type { PackageManager } from '../src/catalog/types.ts';

const N = 1200;
const hex = (i: number) => i.toString(16).padStart(64, '0');

async function generate(dir: string): Promise<void> {
  // Python: requirements.txt (pip-compile style with hashes), uv.lock, and the installed site-packages.
  const site = path.join(dir, 'deps/0/python/lib/python3.12/site-packages');
  await mkdir(site, { recursive: true });
  await mkdir(path.join(dir, 'app'), { recursive: true });
  const req: string[] = [];
  const uv: string[] = ['version = 1\nrevision = 3\n', `[[package]]\nname = "app"\nversion = "0.1.0"\nsource = { editable = "." }\ndependencies = [\n    { name = "pkg0" },\n]\n`];
  for (let i = 0; i < N; i++) {
    req.push(`pkg${i}==1.${i}.0 \\\n    --hash=sha256:${hex(i)} \\\n    --hash=sha256:${hex(i + N)}\n    # via pkg${Math.max(0, i - 1)}`);
    uv.push(
      `[[package]]\nname = "pkg${i}"\nversion = "1.${i}.0"\nsource = { registry = "https://pypi.org/simple" }\n` +
        (i + 1 < N ? `dependencies = [\n    { name = "pkg${i + 1}" },\n]\n` : '') +
        `sdist = { url = "https://x/pkg${i}.tar.gz", hash = "sha256:${hex(i)}", size = 1 }\n` +
        `wheels = [\n    { url = "https://x/pkg${i}.whl", hash = "sha256:${hex(i + N)}", size = 1 },\n]\n`,
    );
    const d = path.join(site, `pkg${i}-1.${i}.0.dist-info`);
    await mkdir(d);
    await writeFile(
      path.join(d, 'METADATA'),
      `Metadata-Version: 2.1\nName: pkg${i}\nVersion: 1.${i}.0\nLicense: MIT\nClassifier: License :: OSI Approved :: MIT License\n${i + 1 < N ? `Requires-Dist: pkg${i + 1}>=1\n` : ''}\n${'long description\n'.repeat(200)}`,
    );
    await writeFile(path.join(d, 'RECORD'), `pkg${i}/__init__.py,,\n`);
  }
  await writeFile(path.join(dir, 'app/requirements.txt'), req.join('\n') + '\n');
  await writeFile(path.join(dir, 'app/uv.lock'), uv.join('\n'));

  // Bundler: Gemfile.lock with CHECKSUMS, a Gemfile with a test group, installed gemspecs.
  const specs = path.join(dir, 'app/vendor/bundle/ruby/3.3.0/specifications');
  await mkdir(specs, { recursive: true });
  const lock = ['GEM', '  remote: https://rubygems.org/', '  specs:'];
  const sums = ['CHECKSUMS'];
  for (let i = 0; i < N; i++) {
    lock.push(`    gem${i} (2.${i}.0)`);
    if (i + 1 < N) lock.push(`      gem${i + 1} (>= 1.0)`);
    sums.push(`  gem${i} (2.${i}.0) sha256=${hex(i)}`);
    await writeFile(path.join(specs, `gem${i}-2.${i}.0.gemspec`), `# stub: gem${i} 2.${i}.0 ruby lib\n\nGem::Specification.new do |s|\n  s.name = "gem${i}".freeze\n  s.version = "2.${i}.0"\n  s.licenses = ["MIT".freeze]\nend\n`);
  }
  lock.push('', 'PLATFORMS', '  ruby', '  x86_64-linux', '', 'DEPENDENCIES', '  gem0', '', ...sums, '', 'BUNDLED WITH', '   2.5.3', '');
  await writeFile(path.join(dir, 'app/Gemfile.lock'), lock.join('\n'));
  await writeFile(path.join(dir, 'app/Gemfile'), 'source "https://rubygems.org"\ngem "gem0"\ngroup :test do\n  gem "rspec"\nend\n');

  // Composer: composer.lock and vendor/composer/installed.json (v2).
  const pkgs = Array.from({ length: N }, (_, i) => ({
    name: `vendor${i % 50}/pkg${i}`,
    version: `v3.${i}.0`,
    dist: { type: 'zip', url: `https://x/${i}.zip`, reference: hex(i).slice(0, 40), shasum: hex(i).slice(0, 40) },
    require: i + 1 < N ? { php: '>=8.1', [`vendor${(i + 1) % 50}/pkg${i + 1}`]: '^3' } : { php: '>=8.1' },
    license: ['MIT'],
  }));
  await writeFile(path.join(dir, 'app/composer.lock'), JSON.stringify({ packages: pkgs, 'packages-dev': [] }, null, 4));
  await mkdir(path.join(dir, 'app/vendor/composer'), { recursive: true });
  await writeFile(path.join(dir, 'app/vendor/composer/installed.json'), JSON.stringify({ packages: pkgs, dev: false, 'dev-package-names': [] }, null, 4));
}

async function time(m: PackageManager, dir: string): Promise<{ ms: number; components: number; files: number }> {
  const { ctx } = await scanContextForDir(dir);
  const paths = ctx.files.map((f) => f.path).filter(m.matches);
  const t = performance.now();
  const r = await m.parse(paths, ctx);
  return { ms: performance.now() - t, components: r.components.length, files: paths.length };
}

const dir = await mkdtemp(path.join(tmpdir(), 'bpx-bench-py-rb-php-'));
try {
  await generate(dir);
  for (const m of [python, bundler, composer]) {
    await time(m, dir); // warm-up: first-call compilation is not what a staging pays per file
    const runs = [await time(m, dir), await time(m, dir), await time(m, dir)];
    const best = runs.reduce((a, b) => (a.ms < b.ms ? a : b));
    console.log(`${m.id.padEnd(9)} ${String(best.files).padStart(5)} files  ${String(best.components).padStart(5)} components  ${best.ms.toFixed(1).padStart(7)} ms (best of 3)`);
  }
  console.log(`inputs: ${N} packages per ecosystem, each in a lockfile and an installed tree; peak RSS ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MB`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
