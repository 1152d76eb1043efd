// What `bpx query` runs: its help and summary are in src/cli/commands/query.ts, so that `bpx query --help` loads
// none of this.
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseCommandArgs } from '../parse-args.ts';
import { CliError, withoutPath, type Io } from '../io.ts';
import { expandTargets, loadTarget } from '../../vuln/scan/targets.ts';
import { type PackageQuery, type QueryMatch, packageQuery, queryBuildpack, queryPackage } from '../../vuln/scan/query.ts';

export async function runQuery(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs('query', {
    args: argv,
    options: {
      package: { type: 'string' },
      buildpack: { type: 'string' },
      range: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
    allowPositionals: true,
  });
  if (!positionals.length) throw new CliError('give at least one TARGET (droplet, directory or SBOM)');
  if (!values.package === !values.buildpack) throw new CliError('give exactly one of --package PURL or --buildpack NAME');
  let pq: PackageQuery | undefined;
  if (values.package) {
    try {
      pq = packageQuery(values.package, values.range);
    } catch (err) {
      throw new CliError((err as Error).message);
    }
  } else {
    try {
      queryBuildpack(
        { target: '', source: 'file', signature: '', components: [], buildpacks: [], issues: [], problems: [], notes: [] },
        values.buildpack!,
        values.range,
      );
    } catch (err) {
      throw new CliError((err as Error).message);
    }
  }
  const rel = (p: string) => path.relative(io.cwd, p) || '.';
  const targets = await expandTargets(
    positionals.map((p) => path.resolve(io.cwd, p)),
    (dir, why) => io.stderr.write(`bpx query: warning: ${rel(dir)}: ${why}: not looked into\n`),
  );
  const matches: QueryMatch[] = [];
  const errors: Array<{ target: string; error: string }> = [];
  for (const t of targets) {
    try {
      const loaded = await loadTarget(t, { tmpDir: tmpdir() });
      // a folder with nothing to read is not "no matches": it was not looked into
      for (const p of loaded.problems) errors.push({ target: rel(t.path), error: p.message });
      const withRel = { ...loaded, target: rel(loaded.target) };
      matches.push(...(pq ? queryPackage(withRel, pq) : queryBuildpack(withRel, values.buildpack!, values.range)));
    } catch (err) {
      errors.push({ target: rel(t.path), error: withoutPath(t.path, (err as Error).message) });
    }
  }
  if (values.json) io.stdout.write(`${JSON.stringify({ matches, ...(errors.length ? { errors } : {}) }, null, 2)}\n`);
  else if (!matches.length) io.stdout.write(errors.length ? 'no matches in the targets that could be read\n' : 'no matches\n');
  else {
    const rows = matches.map((m) => [m.target, 'purl' in m ? m.purl : m.buildpack, m.version]);
    const w = [0, 1].map((i) => Math.max(...rows.map((r) => r[i]!.length), i === 0 ? 6 : 7));
    io.stdout.write(`${'TARGET'.padEnd(w[0]!)}  ${(pq ? 'PACKAGE' : 'BUILDPACK').padEnd(w[1]!)}  VERSION\n`);
    for (const r of rows) io.stdout.write(`${r[0]!.padEnd(w[0]!)}  ${r[1]!.padEnd(w[1]!)}  ${r[2]}\n`);
  }
  for (const e of errors) io.stderr.write(`bpx query: ${e.target}: ${e.error}\n`);
  return errors.length ? 2 : 0;
}
