// What `bpx validate` runs: its help and summary are in src/cli/commands/validate.ts, so that `bpx validate --help` loads
// none of this.
import { parseCommandArgs } from '../parse-args.ts';
import { CliError, type Io } from '../io.ts';

export async function runValidate(argv: string[], io: Io): Promise<number> {
  const parsed = parseCommandArgs('validate', {
    args: argv,
    options: { json: { type: 'boolean' }, app: { type: 'boolean' } },
    allowPositionals: true,
  });
  const files = parsed.positionals;
  if (!files.length) throw new CliError('no manifest given (bpx validate FILE...)');
  const [{ loadManifest }, { builtins }] = await Promise.all([import('../../manifest/load.ts'), import('../../../extensions/index.ts')]);
  const { resolve } = await import('node:path');
  const results = [];
  for (const file of files) {
    const r = await loadManifest(resolve(io.cwd, file), {
      builtinNames: Object.keys(builtins),
      kind: parsed.values.app ? 'app' : 'operator',
    });
    const errors = r.errors.map((e) => ({ ...e, file }));
    results.push({ file, valid: !errors.some((e) => e.severity === 'error'), errors });
  }
  if (parsed.values.json) io.stdout.write(`${JSON.stringify({ files: results }, null, 2)}\n`);
  else {
    for (const r of results) {
      for (const e of r.errors)
        io.stdout.write(`${e.file}:${e.line}:${e.column}: ${e.path}: ${e.severity === 'warning' ? 'warning: ' : ''}${e.message}\n`);
      if (r.valid) io.stderr.write(`${r.file}: valid\n`);
    }
  }
  return results.every((r) => r.valid) ? 0 : 1;
}
