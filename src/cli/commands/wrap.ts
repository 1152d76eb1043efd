// bpx wrap: builds an uploadable wrapped buildpack from an inner buildpack (dir or zip) and an operator manifest.
// The help is all this file holds: `bpx wrap --help` loads none of what the command runs (src/cli/wrap/run.ts).
import { exitCodeHelp } from '../../platform/exit-codes.ts';
import type { Command } from '../io.ts';

const help = `Usage: bpx wrap INNER --manifest bpx.yml -o OUT [--node PATH] [--force]

Wraps a buildpack so that the extensions of bpx.yml run around its phases.

  INNER            the inner buildpack: a directory or a .zip; as Cloud Foundry does, bin/ is
                   looked for in it, then in its only entry (one top folder)
  --manifest FILE  the operator's bpx.yml; it and every file it references (run scripts,
                   relative paths in run lists and with:) are shipped, keeping their layout
  -o, --output OUT a .zip (upload with cf create-buildpack) or a directory; missing parent
                   folders are created
  --node PATH      the Node binary to ship (default: the node running bpx); it must run here
                   and print a Node version (20 or later)
  --force          replace OUT when it exists and is not an empty directory (never when OUT is,
                   holds or lies inside the inner buildpack, the manifest's folder or a file it
                   references)
  -h, --help

Layout of the output:
  bin/<phase>      a shim for exactly each of the inner's bin/ scripts (never more, never fewer)
  inner/           the inner buildpack, untouched
  bpx/bpx.yml      the operator manifest, with the files it references beside it
  runtime/         node, bpx.cjs and its chunks, the phase runtime
  VERSION, manifest.yml   copied from the inner buildpack for CF tools

Windows scripts of the inner (bin/*.bat, *.exe, …) stay under inner/, but no shim runs them: the
wrapped buildpack is for Linux stacks only (bpx wrap says so).

A manifest-referenced file that is a symbolic link is shipped as the content it points to.

A shim for a phase without operator extensions, where an app's bpx.yml may not add any (or the
app has none), runs the inner script without starting Node (supply, finalize and compile keep its
\`-----> Installing\` lines for the extensions of a later phase, in sh).

Hostile zips (entries with ../, absolute paths, symlinks pointing out) are refused and nothing is
written.

Exit codes:
${exitCodeHelp([0, 1, 2], { 1: 'invalid manifest or input (located errors on stderr)' })}
`;

const command: Command = {
  summary: 'wrap a buildpack (dir or zip) with an operator manifest into an uploadable buildpack',
  help,
  run: async (argv, io) => (await import('../wrap/run.ts')).runWrap(argv, io),
};
export default command;
