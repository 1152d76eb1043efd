// Bench of the catalog, one table of inputs (INPUTS): each is generated or installed into a temp or cache folder and
// captured by captureDir with the managers it names, in a child process running the esbuild bundle (median, peak RSS).
// `bpx sbom` of the npm apps as a whole process, beside its floor and the peers, is in bench/sbom.ts.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { zip } from '../test/catalog/zip.ts';
import { benchDir, corpus, generatedNpmApp, hex, installedNpmApp, median, root, write } from './_npm-apps.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 7);

interface Input {
  label: string;
  /** writes the input into `dir` (empty); false when it cannot be made here (corpus or registry missing) */
  make(dir: string): boolean | Promise<boolean>;
  /** only these managers (captureDir's `managers`); default all */
  managers?: string[];
  /** a folder kept across runs under .bench/ (an npm install), instead of a temp folder */
  cached?: string;
}

const INPUTS: Input[] = [
  { label: 'firebase-tools app, `npm ci` of its shrinkwrap (dev included)', make: installedNpmApp, cached: 'npm-app' },
  { label: 'generated npm app, 5,000 packages x 12 files', make: (d) => generatedNpmApp(d, 5000, 12) },
  { label: 'mixed app: corpus lockfiles of 10 ecosystems', make: mixedApp },
  { label: 'Cargo.lock, 2,000 crates', managers: ['cargo'], make: (d) => write(d, 'Cargo.lock', cargoLock(2000)) },
  { label: 'go.mod, 2,000 requires', managers: ['go'], make: (d) => write(d, 'go.mod', goMod(2000)) },
  { label: 'gradle.lockfile, 2,000 lines', managers: ['gradle'], make: (d) => write(d, 'gradle.lockfile', gradleLock(2000)) },
  { label: 'packages.lock.json, 2,000 entries', managers: ['nuget'], make: (d) => write(d, 'packages.lock.json', nugetLock(2000)) },
  { label: 'Spring Boot fat jar, 300 nested jars', managers: ['maven'], make: (d) => fatJar(d, 300) },
  { label: 'Python: requirements, uv.lock, 1,200 installed', managers: ['python'], make: (d) => pythonApp(d, 1200) },
  { label: 'Bundler: Gemfile.lock, 1,200 gemspecs', managers: ['bundler'], make: (d) => bundlerApp(d, 1200) },
  { label: 'Composer: composer.lock, installed.json, 1,200', managers: ['composer'], make: (d) => composerApp(d, 1200) },
];

function mixedApp(dir: string): boolean {
  const pick: Array<[string, string]> = [
    ['npm/typicode-json-server/lockfile-v3', 'web'],
    ['yarn-classic/reduxjs-redux', 'ui'],
    ['pnpm/typicode-json-server/lockfile-9.0', 'tools'],
    ['bundler/heartcombo-devise', 'ruby'],
    ['poetry', 'py'],
    ['cargo/BurntSushi-ripgrep/v4', 'rust'],
    ['gomod', 'go'],
    ['composer', 'php'],
    ['nuget', 'dotnet'],
    ['gradle', 'jvm'],
  ];
  if (!existsSync(corpus)) return false;
  for (const [rel, sub] of pick)
    if (existsSync(path.join(corpus, rel))) cpSync(path.join(corpus, rel), path.join(dir, sub), { recursive: true });
  return true;
}

const cargoLock = (n: number) =>
  `version = 4\n\n[[package]]\nname = "app"\nversion = "0.1.0"\ndependencies = [\n "crate0",\n]\n\n` +
  Array.from(
    { length: n },
    (_, i) =>
      `[[package]]\nname = "crate${i}"\nversion = "1.${i % 50}.${i}"\nsource = "registry+https://github.com/rust-lang/crates.io-index"\nchecksum = "${hex(i)}"\ndependencies = [\n${i ? ` "crate${i - 1}",\n` : ''}]\n`,
  ).join('\n');
const goMod = (n: number) =>
  `module example.com/app\n\ngo 1.22\n\nrequire (\n${Array.from({ length: n }, (_, i) => `\tgithub.com/org${i % 97}/mod${i} v1.${i}.0${i % 3 ? ' // indirect' : ''}`).join('\n')}\n)\n`;
const gradleLock = (n: number) =>
  `# gradle\n${Array.from({ length: n }, (_, i) => `org.g${i % 31}:art${i}:1.${i}=compileClasspath,runtimeClasspath${i % 4 ? '' : ',testRuntimeClasspath'}`).join('\n')}\nempty=\n`;
function nugetLock(n: number): string {
  const lock: Record<string, unknown> = {};
  for (let i = 0; i < n; i++)
    lock[`Pkg.Name${i}`] = {
      type: i % 10 ? 'Transitive' : 'Direct',
      resolved: `1.0.${i}`,
      contentHash: Buffer.alloc(64, i % 256).toString('base64'),
      dependencies: i ? { [`Pkg.Name${i - 1}`]: `1.0.${i - 1}` } : {},
    };
  return JSON.stringify({ version: 1, dependencies: { 'net8.0': lock } }, null, 2);
}

async function fatJar(dir: string, n: number): Promise<boolean> {
  const libs: Record<string, Buffer> = {};
  for (let i = 0; i < n; i++) {
    libs[`BOOT-INF/lib/lib${i}-1.0.${i}.jar`] = await zip({
      [`META-INF/maven/org.example${i % 7}/lib${i}/pom.properties`]: `groupId=org.example${i % 7}\nartifactId=lib${i}\nversion=1.0.${i}\n`,
      [`org/example/lib${i}/A.class`]: Buffer.alloc(20_000, i),
    });
  }
  mkdirSync(path.join(dir, 'app'));
  writeFileSync(path.join(dir, 'app/app.jar'), await zip({ 'META-INF/MANIFEST.MF': 'Manifest-Version: 1.0\r\n\r\n', ...libs }, false));
  return true;
}

/** requirements.txt (pip-compile style, hashes), uv.lock and the installed site-packages. */
function pythonApp(dir: string, n: number): boolean {
  const site = 'deps/0/python/lib/python3.12/site-packages';
  const req: string[] = [];
  const uv: string[] = [
    'version = 1\nrevision = 3\n',
    `[[package]]\nname = "app"\nversion = "0.1.0"\nsource = { editable = "." }\ndependencies = [\n    { name = "pkg0" },\n]\n`,
  ];
  for (let i = 0; i < n; i++) {
    req.push(`pkg${i}==1.${i}.0 \\\n    --hash=sha256:${hex(i)} \\\n    --hash=sha256:${hex(i + n)}\n    # via pkg${Math.max(0, i - 1)}`);
    uv.push(
      `[[package]]\nname = "pkg${i}"\nversion = "1.${i}.0"\nsource = { registry = "https://pypi.org/simple" }\n` +
        (i + 1 < n ? `dependencies = [\n    { name = "pkg${i + 1}" },\n]\n` : '') +
        `sdist = { url = "https://x/pkg${i}.tar.gz", hash = "sha256:${hex(i)}", size = 1 }\n` +
        `wheels = [\n    { url = "https://x/pkg${i}.whl", hash = "sha256:${hex(i + n)}", size = 1 },\n]\n`,
    );
    const d = `${site}/pkg${i}-1.${i}.0.dist-info`;
    write(
      dir,
      `${d}/METADATA`,
      `Metadata-Version: 2.1\nName: pkg${i}\nVersion: 1.${i}.0\nLicense: MIT\nClassifier: License :: OSI Approved :: MIT License\n${i + 1 < n ? `Requires-Dist: pkg${i + 1}>=1\n` : ''}\n${'long description\n'.repeat(200)}`,
    );
    write(dir, `${d}/RECORD`, `pkg${i}/__init__.py,,\n`);
  }
  write(dir, 'app/requirements.txt', `${req.join('\n')}\n`);
  return write(dir, 'app/uv.lock', uv.join('\n'));
}

/** Gemfile.lock with CHECKSUMS, a Gemfile with a test group, installed gemspecs. */
function bundlerApp(dir: string, n: number): boolean {
  const lock = ['GEM', '  remote: https://rubygems.org/', '  specs:'];
  const sums = ['CHECKSUMS'];
  for (let i = 0; i < n; i++) {
    lock.push(`    gem${i} (2.${i}.0)`);
    if (i + 1 < n) lock.push(`      gem${i + 1} (>= 1.0)`);
    sums.push(`  gem${i} (2.${i}.0) sha256=${hex(i)}`);
    write(
      dir,
      `app/vendor/bundle/ruby/3.3.0/specifications/gem${i}-2.${i}.0.gemspec`,
      `# stub: gem${i} 2.${i}.0 ruby lib\n\nGem::Specification.new do |s|\n  s.name = "gem${i}".freeze\n  s.version = "2.${i}.0"\n  s.licenses = ["MIT".freeze]\nend\n`,
    );
  }
  lock.push('', 'PLATFORMS', '  ruby', '  x86_64-linux', '', 'DEPENDENCIES', '  gem0', '', ...sums, '', 'BUNDLED WITH', '   2.5.3', '');
  write(dir, 'app/Gemfile.lock', lock.join('\n'));
  return write(dir, 'app/Gemfile', 'source "https://rubygems.org"\ngem "gem0"\ngroup :test do\n  gem "rspec"\nend\n');
}

/** composer.lock and vendor/composer/installed.json (v2). */
function composerApp(dir: string, n: number): boolean {
  const pkgs = Array.from({ length: n }, (_, i) => ({
    name: `vendor${i % 50}/pkg${i}`,
    version: `v3.${i}.0`,
    dist: { type: 'zip', url: `https://x/${i}.zip`, reference: hex(i).slice(0, 40), shasum: hex(i).slice(0, 40) },
    require: i + 1 < n ? { php: '>=8.1', [`vendor${(i + 1) % 50}/pkg${i + 1}`]: '^3' } : { php: '>=8.1' },
    license: ['MIT'],
  }));
  write(dir, 'app/composer.lock', JSON.stringify({ packages: pkgs, 'packages-dev': [] }, null, 4));
  return write(dir, 'app/vendor/composer/installed.json', JSON.stringify({ packages: pkgs, dev: false, 'dev-package-names': [] }, null, 4));
}

/** captureDir RUNS times in one child process: wall and CPU medians, the first run, peak RSS. */
function inProcess(bundle: string, dir: string, managers?: string[]) {
  const code = `
    const { captureDir } = await import(${JSON.stringify(bundle)});
    const times = [], cpus = []; let n = 0;
    for (let i = 0; i < ${RUNS}; i++) {
      const c0 = process.cpuUsage(); const t = performance.now();
      const c = await captureDir(${JSON.stringify(dir)}, ${JSON.stringify(managers ? { managers, includeDev: true } : {})});
      times.push(performance.now() - t); const u = process.cpuUsage(c0); cpus.push((u.user + u.system) / 1000); n = c.components.length;
    }
    process.stdout.write(JSON.stringify({ times, cpus, n, rss: process.resourceUsage().maxRSS }));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  const o = JSON.parse(r.stdout);
  return { median: median(o.times), first: o.times[0], cpu: median(o.cpus), components: o.n as number, rssMb: o.rss / 1024 };
}

async function main(): Promise<void> {
  mkdirSync(benchDir, { recursive: true });
  const bundle = path.join(benchDir, 'catalog-bundle.mjs');
  await build({
    entryPoints: [path.join(root, 'src/catalog/index.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: bundle,
    logLevel: 'error',
    // as scripts/build.mjs: src/model/deferred-libs.cts requires its libraries where first called
    define: { BPX_BUNDLED: 'true' },
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
  const tmp = mkdtempSync(path.join(tmpdir(), 'bpx-bench-catalog-'));
  try {
    console.log(`captureDir in one process, median of ${RUNS} runs after none (first run shown too); load ${loadavg()[0].toFixed(1)}`);
    console.log(
      `${'input'.padEnd(52)} ${'files'.padStart(6)} ${'comps'.padStart(6)} ${'median'.padStart(8)} ${'CPU'.padStart(8)} ${'first'.padStart(8)} ${'RSS'.padStart(7)}`,
    );
    for (const input of INPUTS) {
      const dir = input.cached ? path.join(benchDir, input.cached) : path.join(tmp, `in${INPUTS.indexOf(input)}`);
      mkdirSync(dir, { recursive: true });
      if (!(await input.make(dir))) {
        console.log(`${input.label.padEnd(52)} skipped: its input cannot be made here (../shared/corpus or the npm registry missing)`);
        continue;
      }
      const files = Number(spawnSync('sh', ['-c', 'find . -type f | wc -l'], { cwd: dir, encoding: 'utf8' }).stdout.trim());
      const r = inProcess(bundle, dir, input.managers);
      const ms = (n: number) => `${n.toFixed(0)} ms`.padStart(8);
      console.log(
        `${input.label.padEnd(52)} ${String(files).padStart(6)} ${String(r.components).padStart(6)} ${ms(r.median)} ${ms(r.cpu)} ${ms(r.first)} ${`${r.rssMb.toFixed(0)} MB`.padStart(7)}`,
      );
    }

    console.log('\nwhole `bpx sbom` processes beside their floor and the peers: bench/sbom.ts');
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

await main();
