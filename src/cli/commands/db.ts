// bpx db build: the prebuilt OSV index (docs/vulnerabilities-and-licenses.md, "The prebuilt index") bpx scan reads.
import { statSync } from 'node:fs';
import path from 'node:path';
import { CLI_EXIT, exitCodeHelp } from '../../platform/exit-codes.ts';
import { writeFileAtomic } from '../../fs/atomic-write.ts';
import type { Command } from '../io.ts';
import { CliError } from '../io.ts';
import { parseCommandArgs } from '../parse-args.ts';
import { INDEX_NAME, buildIndex } from '../../vuln/osv/db-index.ts';

const help = `Usage: bpx db build --osv DIR|ZIP|FILE... [-o FILE] [--json]

Loads an OSV database once, as bpx scan --db would (every record checked, skipped records and notes
kept), and writes it as one prebuilt index that bpx scan reads in a few milliseconds: only the
advisories of the packages a scan looks up are parsed.

The index records the size and modification time of every file it was built from. bpx scan uses it
only while those are unchanged (and it was written by this bpx version): a stale index is passed
over, with a warning, for a full load of the database itself. Rebuild it after each download.

  bpx db build --osv osv/                 writes osv/bpx-osv.index; bpx scan --db osv/ finds it there
  bpx db build --osv a/ --osv b.zip -o all.index
                                          bpx scan --db all.index reads both

Options:
  --osv SOURCE      a folder of OSV JSON/YAML records and/or <Ecosystem>/all.zip exports, or one such file
                    (repeatable: several sources make one database, a later duplicate id losing unless newer)
  -o, --output FILE  where to write the index (written atomically); default: SOURCE/bpx-osv.index when
                    one folder is given
  --json            print {"output", "advisories", "files", "bytes", "ecosystems", "withdrawn",
                    "duplicates", "newest", "skipped": [{"path", "line"?, "message"}], "notes": N}
  -h, --help        this text

Records that cannot be matched (no id, no package, no usable range) or cannot be read are skipped,
each named with its file (zip!entry) and the field at fault, as bpx scan names them; they are not
an error. An index of 0 advisories is written all the same: bpx scan refuses it without
--allow-empty-db.

Exit codes:
${exitCodeHelp([0, 2], {
  0: 'the index was written',
  2: 'usage error, a source that does not exist or cannot be read, or an output that cannot be written',
})}
`;

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

const command: Command = {
  summary: 'build the prebuilt OSV index bpx scan reads (bpx db build --osv DIR)',
  help,
  async run(argv, io) {
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
  },
};
export default command;
