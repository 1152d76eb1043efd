// Bench of the catalog: captureDir on a >=1,200-package npm app (lockfile + installed node_modules)
// and on a mixed-ecosystem app, against cdxgen and cyclonedx-npm on the same inputs. Prints a few lines of figures.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const corpus = path.resolve(root, '..', 'shared', 'corpus', 'lockfiles');
const benchDir = path.join(root, '.bench');
const tools = path.join(benchDir, 'tools');
const RUNS = 7;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** The npm app: the real firebase-tools v2 shrinkwrap (1,326 install entries) as package-lock.json, plus node_modules built from it. */
function makeNpmApp(dir: string): number {
  const src = path.join(corpus, 'npm/firebase-firebase-tools/shrinkwrap-v2');
  const lock = JSON.parse(readFileSync(path.join(src, 'npm-shrinkwrap.json'), 'utf8'));
  writeFileSync(path.join(dir, 'package-lock.json'), JSON.stringify(lock, null, 2));
  cpSync(path.join(src, 'package.json'), path.join(dir, 'package.json'));
  let n = 0;
  for (const [key, e] of Object.entries<any>(lock.packages)) {
    if (!key || e.link) continue;
    // what `npm ci` (dev included, as a build step would) installs on linux
    if (e.optional && e.os && !e.os.includes('linux')) continue;
    const pdir = path.join(dir, key);
    mkdirSync(path.join(pdir, 'lib'), { recursive: true });
    const name = key.slice(key.lastIndexOf('node_modules/') + 13);
    writeFileSync(path.join(pdir, 'package.json'), JSON.stringify({ name, version: e.version, license: e.license ?? 'MIT', dependencies: e.dependencies ?? {}, _integrity: e.integrity }, null, 2));
    writeFileSync(path.join(pdir, 'index.js'), `module.exports = require('./lib/${n}.js');\n`);
    writeFileSync(path.join(pdir, 'lib', `${n}.js`), 'module.exports = {};\n');
    writeFileSync(path.join(pdir, 'README.md'), `# ${name}\n`);
    n++;
  }
  return n;
}

/** The mixed app: corpus lockfiles of several ecosystems side by side. */
function makeMixedApp(dir: string): void {
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
  for (const [rel, sub] of pick) {
    const src = path.join(corpus, rel);
    if (existsSync(src)) cpSync(src, path.join(dir, sub), { recursive: true });
  }
}

/** Wall and CPU (user + system, all threads) per run: on a shared, loaded host the CPU figure is the steadier one. */
function runChild(bundle: string, dir: string): { median: number; first: number; cpuMedian: number; cpuFirst: number; components: number; maxRssMb: number } {
  const code = `
    const { captureDir } = await import(${JSON.stringify(bundle)});
    const times = [], cpus = []; let n = 0;
    for (let i = 0; i < ${RUNS}; i++) {
      const c0 = process.cpuUsage(); const t = performance.now();
      const c = await captureDir(${JSON.stringify(dir)});
      times.push(performance.now() - t); const u = process.cpuUsage(c0); cpus.push((u.user + u.system) / 1000); n = c.components.length;
    }
    process.stdout.write(JSON.stringify({ times, cpus, n, rss: process.resourceUsage().maxRSS }));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  const o = JSON.parse(r.stdout);
  return { median: median(o.times), first: o.times[0], cpuMedian: median(o.cpus), cpuFirst: o.cpus[0], components: o.n, maxRssMb: o.rss / 1024 };
}

function timeCmd(cmd: string, args: string[], cwd: string, env: Record<string, string> = {}): number | string {
  const t = performance.now();
  const r = spawnSync(cmd, args, { cwd, env: { ...process.env, ...env }, encoding: 'utf8', timeout: 600_000 });
  const ms = performance.now() - t;
  if (r.status !== 0) return `failed (${r.status ?? r.signal}): ${(r.stderr || r.stdout || '').trim().split('\n').pop()}`;
  return ms;
}

function ensureTools(): boolean {
  const bins = ['cdxgen', 'cyclonedx-npm'].map((b) => path.join(tools, 'node_modules/.bin', b));
  if (bins.every(existsSync)) return true;
  mkdirSync(tools, { recursive: true });
  const r = spawnSync('npm', ['install', '--prefix', tools, '--no-audit', '--no-fund', '--ignore-scripts', '@cyclonedx/cdxgen', '@cyclonedx/cyclonedx-npm'], { stdio: 'ignore', timeout: 300_000 });
  return r.status === 0 && bins.every(existsSync);
}

async function main(): Promise<void> {
  if (process.argv[2] === '--make') {
    mkdirSync(process.argv[3], { recursive: true });
    console.log(makeNpmApp(process.argv[3]));
    return;
  }
  if (!existsSync(corpus)) {
    console.log('skip: ../shared/corpus absent');
    return;
  }
  mkdirSync(benchDir, { recursive: true });
  const bundle = path.join(benchDir, 'catalog-bundle.mjs');
  await build({ entryPoints: [path.join(root, 'src/catalog/index.ts')], bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile: bundle, logLevel: 'error', banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" } });
  const tmp = mkdtempSync(path.join(tmpdir(), 'bpx-bench-catalog-'));
  try {
    const npmApp = path.join(tmp, 'npm-app');
    mkdirSync(npmApp);
    const installed = makeNpmApp(npmApp);
    const mixed = path.join(tmp, 'mixed-app');
    mkdirSync(mixed);
    makeMixedApp(mixed);

    const a = runChild(bundle, npmApp);
    console.log(`npm app (${installed} installed packages, lockfile + node_modules): ${a.components} components, median ${a.median.toFixed(0)} ms wall / ${a.cpuMedian.toFixed(0)} ms CPU (first ${a.first.toFixed(0)} / ${a.cpuFirst.toFixed(0)} ms) over ${RUNS} runs in one process (peak RSS of those ${RUNS} runs ${a.maxRssMb.toFixed(0)} MB)`);
    const b = runChild(bundle, mixed);
    console.log(`mixed app (npm, yarn, pnpm, bundler, poetry, cargo, go, composer, nuget, gradle): ${b.components} components, median ${b.median.toFixed(0)} ms, peak RSS ${b.maxRssMb.toFixed(0)} MB`);
    // whole-process cost, as at staging: node start + import + one capture
    const t0 = performance.now();
    const one = spawnSync(process.execPath, ['--input-type=module', '-e', `const {captureDir}=await import(${JSON.stringify(bundle)}); await captureDir(${JSON.stringify(npmApp)}); process.stdout.write(String(process.resourceUsage().maxRSS));`], { encoding: 'utf8' });
    const proc: number | string = one.status === 0 ? performance.now() - t0 : `failed: ${one.stderr}`;
    if (typeof proc === 'number') console.log(`npm app, one node process as at staging (start + import + one capture): ${proc.toFixed(0)} ms, peak RSS ${(Number(one.stdout) / 1024).toFixed(0)} MB`);

    if (!ensureTools()) {
      console.log('peers: skipped (could not install @cyclonedx/cdxgen and @cyclonedx/cyclonedx-npm into .bench/tools)');
      return;
    }
    const cdxgen = path.join(tools, 'node_modules/.bin/cdxgen');
    const cnpm = path.join(tools, 'node_modules/.bin/cyclonedx-npm');
    const env = { FETCH_LICENSE: 'false', CDXGEN_DEBUG_MODE: '', NODE_NO_WARNINGS: '1' };
    const c1 = timeCmd(cdxgen, ['-t', 'js', '--no-install-deps', '--no-recurse', '-o', path.join(tmp, 'cdxgen-npm.json'), npmApp], tmp, env);
    const c2 = timeCmd(cdxgen, ['--no-install-deps', '-o', path.join(tmp, 'cdxgen-mixed.json'), mixed], tmp, env);
    const c3 = timeCmd(cnpm, ['--omit', 'dev', '--output-file', path.join(tmp, 'cnpm.json')], npmApp);
    const fmt = (label: string, peer: number | string, ours: number): void => {
      if (typeof peer === 'string') console.log(`${label}: ${peer}`);
      else console.log(`${label}: ${peer.toFixed(0)} ms, ${(peer / ours).toFixed(1)}x bpx's one-process time`);
    };
    const ours = typeof proc === 'number' ? proc : a.median;
    fmt('cdxgen on the npm app', c1, ours);
    fmt('cyclonedx-npm on the npm app', c3, ours);
    fmt('cdxgen on the mixed app', c2, b.median);
    if (typeof c1 === 'number') console.log(`ratio cdxgen / bpx captureDir (npm app, in-process median): ${(c1 / a.median).toFixed(0)}x`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

await main();
