// What `bpx db` runs: its help and summary are in src/cli/commands/db.ts, so that `bpx db --help` loads
// none of this.
import { statSync } from 'node:fs';
import path from 'node:path';
import { CLI_EXIT } from '../../platform/exit-codes.ts';
import { writeFileAtomic } from '../../fs/atomic-write.ts';
import { CliError, type Io } from '../io.ts';
import { parseCommandArgs } from '../parse-args.ts';
import { INDEX_NAME, buildIndex } from '../../vuln/osv/db-index.ts';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export async function runDb(argv: string[], io: Io): Promise<number> {
  const [sub, ...rest] = argv;
  const options = {
    osv: { type: 'string', multiple: true },
    output: { type: 'string', short: 'o' },
    json: { type: 'boolean', default: false },
  } as const;
  // options before any subcommand are checked first: `bpx db --bogus` is an unknown option, as for every command
  if (sub === undefined || sub.startsWith('-')) parseCommandArgs('db', { args: argv, options, allowPositionals: false });
  if (sub !== 'build')
    throw new CliError(
      sub && !sub.startsWith('-')
        ? `unknown subcommand '${sub}' (one of build; run bpx db --help)`
        : 'give a subcommand: build (run bpx db --help)',
    );
  const { values } = parseCommandArgs('db', { args: rest, options, allowPositionals: false });
  const given = (values.osv ?? []) as string[];
  if (!given.length) throw new CliError('--osv DIR is required (a folder of OSV records or <Ecosystem>/all.zip files)');
  const sources = given.map((s) => path.resolve(io.cwd, s));
  const isDir = (p: string) => {
    try {
      return statSync(p).isDirectory();
    } catch {
      return false;
    }
  };
  for (const [i, s] of sources.entries())
    if (!statSync(s, { throwIfNoEntry: false }))
      throw new CliError(`${given[i]}: no such OSV database (a directory of OSV JSON files or <Ecosystem>/all.zip files)`);
  let out: string;
  if (values.output) out = path.resolve(io.cwd, values.output);
  else if (sources.length === 1 && isDir(sources[0]!)) out = path.join(sources[0]!, INDEX_NAME);
  else throw new CliError('-o FILE is required unless one --osv folder is given');
  let built;
  try {
    built = await buildIndex(sources, out);
  } catch (err) {
    throw new CliError((err as Error).message);
  }
  try {
    await writeFileAtomic(out, built.bytes);
  } catch (err) {
    throw new CliError(`${values.output ?? out}: cannot write the index: ${(err as Error).message}`);
  }
  const { db } = built;
  const say = (line: string) => io.stderr.write(`bpx db: ${line}\n`);
  const inCwd = path.relative(io.cwd, out);
  const shown = inCwd && !inCwd.startsWith('..') ? inCwd : out;
  if (values.json) {
    io.stdout.write(
      `${JSON.stringify(
        {
          output: shown,
          advisories: db.records.size,
          files: built.files,
          bytes: built.bytes.length,
          ecosystems: [...db.ecosystems].sort(),
          withdrawn: db.withdrawn,
          duplicates: db.duplicates,
          newest: db.newest ?? null,
          skipped: db.skipped.map((i) => ({ path: i.path, ...(i.line ? { line: i.line } : {}), message: i.message })),
          notes: db.notes.length,
        },
        null,
        2,
      )}\n`,
    );
  } else {
    io.stdout.write(
      `wrote ${shown}: ${db.records.size} ${db.records.size === 1 ? 'advisory' : 'advisories'} from ${plural(built.files, 'file')}` +
        ` (${[...db.ecosystems].sort().join(', ') || 'no ecosystem'}), ${(built.bytes.length / 1048576).toFixed(1)} MiB\n`,
    );
  }
  for (const i of db.skipped) say(`skipped ${i.path}${i.line ? `:${i.line}` : ''}: ${i.message}`);
  if (db.records.size === 0) say(`warning: 0 advisories in ${given.join(', ')}: bpx scan refuses this index without --allow-empty-db`);
  return CLI_EXIT.ok;
}
