// Child of bench/vuln.ts: loads the generated OSV database (`zip`: the all.zip files; `index`: the prebuilt index) and
// matches the components in a fresh process (a fresh heap, as `bpx scan` and builtin:osv have), and prints the figures
// as JSON.
import { readFileSync } from 'node:fs';
import { loadOsvDb, matchComponents } from '../src/vuln/osv/index.ts';
import { openOsvDb } from '../src/vuln/osv/db-index.ts';
import { makeComponent } from '../src/model/index.ts';

const [db, namesFile, mode = 'zip'] = process.argv.slice(2);
const names = JSON.parse(readFileSync(namesFile, 'utf8')) as Array<{
  eco: Parameters<typeof makeComponent>[0]['ecosystem'];
  name: string;
  version: string;
}>;
let t = performance.now();
let loaded;
if (mode === 'index') {
  const opened = await openOsvDb(db);
  if (!opened.index?.used) throw new Error(`the index was not used: ${opened.index?.why ?? 'not an index'}`);
  loaded = opened.db;
} else loaded = await loadOsvDb(db);
const loadMs = performance.now() - t;
const comps = names.map((n) =>
  makeComponent({ ecosystem: n.eco, name: n.name, version: n.version, location: { path: 'x', source: 'lockfile' } }),
);
t = performance.now();
const found = matchComponents(comps, loaded);
const matchMs = performance.now() - t;
console.log(
  JSON.stringify({
    records: loaded.records.size,
    loadMs,
    matchMs,
    components: comps.length,
    findings: found.length,
    rssMB: process.resourceUsage().maxRSS / 1024,
  }),
);
