// Bench for the Maven/jar, Gradle, Go, Cargo, NuGet and runtimes managers: generated inputs in a temp dir, parse time per manager.
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { scanContextForDir } from '../src/catalog/context.ts';
import { cargo } from '../src/catalog/managers/cargo/index.ts';
import { go } from '../src/catalog/managers/go/index.ts';
import { gradle } from '../src/catalog/managers/gradle/index.ts';
import { maven } from '../src/catalog/managers/maven/index.ts';
import { nuget } from '../src/catalog/managers/nuget/index.ts';
import type { PackageManager } from '../src/catalog/types.ts';
import { zip } from '../test/catalog/zip.ts';

const N = 2000;
const JARS = 300;


async function generate(dir: string): Promise<void> {
  const hex = (i: number) => i.toString(16).padStart(64, '0');
  const crates = Array.from({ length: N }, (_, i) =>
    `[[package]]\nname = "crate${i}"\nversion = "1.${i % 50}.${i}"\nsource = "registry+https://github.com/rust-lang/crates.io-index"\nchecksum = "${hex(i)}"\ndependencies = [\n${i ? ` "crate${i - 1}",\n` : ''}]\n`,
  );
  await writeFile(path.join(dir, 'Cargo.lock'), `version = 4\n\n[[package]]\nname = "app"\nversion = "0.1.0"\ndependencies = [\n "crate0",\n]\n\n${crates.join('\n')}`);
  await writeFile(path.join(dir, 'go.mod'), `module example.com/app\n\ngo 1.22\n\nrequire (\n${Array.from({ length: N }, (_, i) => `\tgithub.com/org${i % 97}/mod${i} v1.${i}.0${i % 3 ? ' // indirect' : ''}`).join('\n')}\n)\n`);
  await writeFile(path.join(dir, 'gradle.lockfile'), `# gradle\n${Array.from({ length: N }, (_, i) => `org.g${i % 31}:art${i}:1.${i}=compileClasspath,runtimeClasspath${i % 4 ? '' : ',testRuntimeClasspath'}`).join('\n')}\nempty=\n`);
  const lock: Record<string, unknown> = {};
  for (let i = 0; i < N; i++) lock[`Pkg.Name${i}`] = { type: i % 10 ? 'Transitive' : 'Direct', resolved: `1.0.${i}`, contentHash: Buffer.alloc(64, i % 256).toString('base64'), dependencies: i ? { [`Pkg.Name${i - 1}`]: `1.0.${i - 1}` } : {} };
  await writeFile(path.join(dir, 'packages.lock.json'), JSON.stringify({ version: 1, dependencies: { 'net8.0': lock } }, null, 2));
  const libs: Record<string, Buffer> = {};
  for (let i = 0; i < JARS; i++) {
    libs[`BOOT-INF/lib/lib${i}-1.0.${i}.jar`] = await zip({
      [`META-INF/maven/org.example${i % 7}/lib${i}/pom.properties`]: `groupId=org.example${i % 7}\nartifactId=lib${i}\nversion=1.0.${i}\n`,
      [`org/example/lib${i}/A.class`]: Buffer.alloc(20_000, i),
    });
  }
  await mkdir(path.join(dir, 'app'));
  await writeFile(path.join(dir, 'app/app.jar'), await zip({ 'META-INF/MANIFEST.MF': 'Manifest-Version: 1.0\r\n\r\n', ...libs }, false));
}

async function time(m: PackageManager, dir: string): Promise<{ ms: number; min: number; n: number }> {
  const { ctx } = await scanContextForDir(dir);
  const paths = ctx.files.map((f) => f.path).filter((p) => m.matches(p));
  const runs: number[] = [];
  let n = (await m.parse(paths, ctx)).components.length; // warm-up: JIT and file cache
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    n = (await m.parse(paths, ctx)).components.length;
    runs.push(performance.now() - t);
  }
  runs.sort((a, b) => a - b);
  return { ms: runs[2], min: runs[0], n };
}

const dir = await mkdtemp(path.join(tmpdir(), 'bpx-bench-jvm-'));
try {
  await generate(dir);
  console.log(`catalog (jvm/go/rust/.NET): median of 5 parses after one warm-up, inputs generated in ${dir}`);
  for (const [label, m] of [
    [`Cargo.lock, ${N} crates`, cargo],
    [`go.mod, ${N} requires`, go],
    [`gradle.lockfile, ${N} lines`, gradle],
    [`packages.lock.json, ${N} entries`, nuget],
    [`Spring Boot fat jar, ${JARS} nested jars`, maven],
  ] as const) {
    const r = await time(m, dir);
    console.log(`  ${label.padEnd(40)} median ${r.ms.toFixed(1).padStart(7)} ms  min ${r.min.toFixed(1).padStart(7)} ms  ${r.n} components`);
  }
  const mem = process.memoryUsage();
  console.log(`  peak-ish RSS ${(mem.rss / 1024 / 1024).toFixed(0)} MB`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
