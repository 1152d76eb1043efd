// `npm run bench`: builds the bundle, then runs every bench/*.ts (or the ones whose name matches argv[2]: `npm run bench
// catalog`) one after another; bench/_*.mjs are their helpers.
import { spawnSync } from 'node:child_process';
import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadavg } from 'node:os';

const root = new URL('..', import.meta.url).pathname;
const filter = process.argv[2] ? new RegExp(process.argv[2]) : null;
const build = spawnSync(process.execPath, [join(root, 'scripts/build.mjs')], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
const dir = join(root, 'bench');
const files = existsSync(dir)
  ? readdirSync(dir)
      .filter((f) => f.endsWith('.ts') && !f.startsWith('_'))
      .sort()
  : [];
let failed = 0;
for (const f of files) {
  if (filter && !filter.test(f)) continue;
  // the machine is shared: each bench says the load it ran under
  console.log(
    `\n### bench/${f} (load ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')})`,
  );
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(dir, f)], { stdio: 'inherit', cwd: root });
  if (r.status !== 0) {
    failed++;
    console.log(`bench/${f} exited with ${r.status ?? r.signal}`);
  }
}
process.exitCode = failed ? 1 : 0;
