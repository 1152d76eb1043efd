// The floor a capture of an npm app is measured against (bench/catalog.ts): walk the whole tree as `bpx sbom` must,
// read and parse the lockfile and every package.json, write one JSON document. What no SBOM tool can go below.
import { readdirSync, readFileSync } from 'node:fs';

const root = process.argv[2];
const NAMES = new Set(['package.json', 'package-lock.json', 'npm-shrinkwrap.json']);
const found = [];
const stack = [root];
while (stack.length) {
  const dir = stack.pop();
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = `${dir}/${e.name}`;
    if (e.isDirectory()) stack.push(p);
    else if (NAMES.has(e.name)) {
      let j;
      try {
        j = JSON.parse(readFileSync(p, 'utf8'));
      } catch {
        continue;
      }
      found.push({
        path: p.slice(root.length + 1),
        name: j.name,
        version: j.version,
        license: j.license,
        integrity: j._integrity,
        dependencies: j.dependencies,
        packages: j.packages ? Object.keys(j.packages).length : undefined,
      });
    }
  }
}
found.sort((a, b) => (a.path < b.path ? -1 : 1));
process.stdout.write(`${JSON.stringify({ components: found }, null, 2)}\n`);
