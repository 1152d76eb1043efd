// bpx db build: the prebuilt OSV index (docs/vulnerabilities-and-licenses.md, "The prebuilt index") bpx scan reads.
// The help is all this file holds: `bpx db --help` loads none of what the command runs (src/cli/db/run.ts).
import { exitCodeHelp } from '../../platform/exit-codes.ts';
import type { Command } from '../io.ts';

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

const command: Command = {
  summary: 'build the prebuilt OSV index bpx scan reads (bpx db build --osv DIR)',
  help,
  run: async (argv, io) => (await import('../db/run.ts')).runDb(argv, io),
};
export default command;
