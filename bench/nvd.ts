// Bench: NVD matching. A year of NVD records (40,000 CVEs generated from the real corpus records: ids renumbered,
// version bounds shifted, and for all but one record in RUNTIME_SHARE the products renamed to products no droplet runs,
// as in a real year, where the runtimes buildpacks install are well under 1% of CVEs: 3% here) in the 2.0 feed format
// (nvdcve-2.0-<year>.json.gz), and the runtimes of 10,000 droplets. Load time reported; matching must take under 5 s
// after load.
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { type Component, makeComponent, runtimeCpe } from '../src/model/index.ts';
import { checkNvd, loadNvdDb } from '../src/vuln/nvd/index.ts';

const repo = resolve(fileURLToPath(new URL('..', import.meta.url)));
const corpus = join(repo, '..', 'shared', 'corpus', 'nvd', 'records');
const wg = join(repo, '..', 'shared', 'corpus', 'nodejs-security-wg', 'vuln', 'core');
if (!existsSync(corpus)) {
  console.log(`skipped: ${corpus} is absent`);
  process.exit(0);
}
const ms = (t: bigint) => Number(process.hrtime.bigint() - t) / 1e6;
const LIMIT_MS = 5000;
// CVES=… DROPLETS=… for a smaller try
const CVES = Number(process.env.CVES ?? 40_000);
const DROPLETS = Number(process.env.DROPLETS ?? 10_000);
/** one generated record in this many stays on the runtimes' own products */
const RUNTIME_SHARE = Number(process.env.RUNTIME_SHARE ?? 33);

// a small deterministic PRNG (mulberry32): the same fleet every run
let seed = 0x5eed;
const rand = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;

// `20.11.1` + 3 → `20.11.4`: the last number of a version shifted (bounds of generated records move, structure stays)
const shift = (v: string, d: number) => v.replace(/(\d+)(?!.*\d)/, (n) => String(Math.max(0, Number(n) + d)));

type Json = Record<string, any>;
const real = readdirSync(corpus)
  .filter((n) => n.endsWith('.json'))
  .sort()
  .map((n) => JSON.parse(readFileSync(join(corpus, n), 'utf8')) as Json);

function generated(i: number): Json {
  const base = real[i % real.length]!;
  const d = (i % 9) - 4;
  const configurations = (base.configurations ?? []).map((c: Json) => ({
    ...c,
    nodes: c.nodes.map((n: Json) => ({
      ...n,
      cpeMatch: n.cpeMatch.map((m: Json) => {
        const out: Json = { ...m };
        for (const k of ['versionStartIncluding', 'versionStartExcluding', 'versionEndIncluding', 'versionEndExcluding'])
          if (out[k]) out[k] = shift(out[k], d);
        // an exact version in the criteria moves too: cpe:2.3:a:apache:http_server:2.4.49:… → 2.4.(49+d)
        out.criteria = String(m.criteria).replace(
          /^(cpe:2\.3:[aho]:[^:]+:[^:]+:)(\d[^:]*)/,
          (_all: string, head: string, v: string) => head + shift(v, d),
        );
        // most records are about other software: vendor and product renamed (`cpe:2.3:a:vendor-17:product-17:…`)
        if (i % RUNTIME_SHARE !== 0)
          out.criteria = out.criteria.replace(
            /^(cpe:2\.3:[aho]:)(?:[^:\\]|\\.)+:(?:[^:\\]|\\.)+:/,
            `$1vendor-${i % 5000}:product-${i % 5000}:`,
          );
        return out;
      }),
    })),
  }));
  return { ...base, id: `CVE-2025-${100000 + i}`, configurations };
}

// the runtimes a fleet runs: each droplet one to three of them, from the release lines people really deploy
const POOL: Record<string, string[]> = {
  node: [14, 16, 18, 20, 21, 22, 23].flatMap((major) =>
    Array.from({ length: 21 }, (_, m) => Array.from({ length: 4 }, (_, p) => `${major}.${m}.${p}`)).flat(),
  ),
  python: ['3.8', '3.9', '3.10', '3.11', '3.12', '3.13'].flatMap((line) => Array.from({ length: 20 }, (_, p) => `${line}.${p}`)),
  ruby: ['2.7', '3.0', '3.1', '3.2', '3.3'].flatMap((line) => Array.from({ length: 10 }, (_, p) => `${line}.${p}`)),
  jre: [
    ...Array.from({ length: 30 }, (_, u) => `1.8.0_${372 + u}`),
    ...[11, 17, 21].flatMap((f) => Array.from({ length: 25 }, (_, u) => `${f}.0.${u}`)),
  ],
  go: ['1.20', '1.21', '1.22', '1.23'].flatMap((line) => Array.from({ length: 12 }, (_, p) => `${line}.${p}`)),
  'dotnet-runtime': ['6.0', '7.0', '8.0'].flatMap((line) => Array.from({ length: 30 }, (_, p) => `${line}.${p}`)),
  php: ['8.0', '8.1', '8.2', '8.3'].flatMap((line) => Array.from({ length: 30 }, (_, p) => `${line}.${p}`)),
  nginx: ['1.22', '1.24', '1.25', '1.26', '1.27'].flatMap((line) => Array.from({ length: 5 }, (_, p) => `${line}.${p}`)),
  httpd: Array.from({ length: 63 }, (_, p) => `2.4.${p}`),
};
const names = Object.keys(POOL);

const work = mkdtempSync(join(tmpdir(), 'bpx-bench-nvd-'));
try {
  const page = {
    resultsPerPage: CVES,
    startIndex: 0,
    totalResults: CVES,
    format: 'NVD_CVE',
    version: '2.0',
    timestamp: '2026-01-01T00:00:00.000',
    vulnerabilities: Array.from({ length: CVES }, (_, i) => ({ cve: generated(i) })),
  };
  const feed = join(work, 'nvdcve-2.0-2025.json.gz');
  writeFileSync(feed, gzipSync(JSON.stringify(page)));
  const droplets: Component[][] = Array.from({ length: DROPLETS }, (_, i) => {
    const n = 1 + Math.floor(rand() * 3);
    const which = new Set(Array.from({ length: n }, () => pick(names)));
    return [...which].map((name) => {
      const version = pick(POOL[name]!);
      const cpe = runtimeCpe(name, version, name === 'jre' && i % 5 === 0);
      return makeComponent({
        ecosystem: 'generic',
        name,
        version,
        kind: 'runtime',
        location: { path: `deps/0/${name}`, source: 'runtime' },
        ...(cpe ? { cpe } : {}),
      });
    });
  });
  const components = droplets.reduce((a, d) => a + d.length, 0);
  const distinct = new Set(droplets.flat().map((c) => c.purl)).size;

  let t = process.hrtime.bigint();
  const db = await loadNvdDb([feed, ...(existsSync(wg) ? [wg] : [])]);
  const loadMs = ms(t);
  console.log(
    `load: ${CVES} CVE records (${(statSync(feed).size / 1048576).toFixed(1)} MB .json.gz) + ${db.node.length} Node.js Security WG advisories in ${loadMs.toFixed(0)} ms (${db.advisories.size} with configurations, ${db.unanalysed} without, ${db.rejected} rejected); heap ${(process.memoryUsage().heapUsed / 1048576).toFixed(0)} MB`,
  );

  t = process.hrtime.bigint();
  let findings = 0;
  let affected = 0;
  for (const d of droplets) {
    const r = checkNvd(d, db);
    findings += r.findings.length;
    if (r.findings.length) affected++;
  }
  const matchMs = ms(t);
  console.log(
    `match: ${DROPLETS} droplets, ${components} runtime components (${distinct} distinct runtime versions): ${findings} findings in ${affected} droplets, ${matchMs.toFixed(0)} ms (${((matchMs * 1000) / components).toFixed(1)} µs per component; limit ${LIMIT_MS} ms)`,
  );
  t = process.hrtime.bigint();
  for (const d of droplets) checkNvd(d, db);
  console.log(`match again (a rescan against the same data): ${ms(t).toFixed(0)} ms`);
  if (matchMs > LIMIT_MS) {
    console.log(`FAIL: matching took ${matchMs.toFixed(0)} ms, more than ${LIMIT_MS} ms`);
    process.exitCode = 1;
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
