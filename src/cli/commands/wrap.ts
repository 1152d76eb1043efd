// bpx wrap: builds an uploadable wrapped buildpack from an inner buildpack (dir or zip) and an operator manifest.
import { exitCodeHelp } from '../../platform/exit-codes.ts';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from '../io.ts';
import { parseCommandArgs } from '../parse-args.ts';
import { CliError } from '../io.ts';
import { CLI_CHUNKS } from '../../wrap/runtime-layout.ts';

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
  runtime/         node, bpx.mjs and its chunks, the phase runtime
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

/** dist/bpx.mjs: the entry of this very bundle when running bundled (this code sits in dist/cli/), else the repo's build (built on demand). */
async function bundlePath(): Promise<string> {
  const self = fileURLToPath(import.meta.url);
  if (self.endsWith('.mjs')) return basename(dirname(self)) === CLI_CHUNKS ? resolve(dirname(self), '..', 'bpx.mjs') : self;
  const root = resolve(dirname(self), '..', '..', '..');
  const dist = resolve(root, 'dist', 'bpx.mjs');
  if (!existsSync(dist)) {
    const { execa } = await import('execa');
    await execa(process.execPath, [resolve(root, 'scripts', 'build.mjs'), '--quiet'], { cwd: root });
  }
  return dist;
}

const command: Command = {
  summary: 'wrap a buildpack (dir or zip) with an operator manifest into an uploadable buildpack',
  help,
  async run(argv, io) {
    const parsed = parseCommandArgs('wrap', {
      args: argv,
      options: {
        manifest: { type: 'string', short: 'm' },
        output: { type: 'string', short: 'o' },
        node: { type: 'string' },
        force: { type: 'boolean' },
      },
      allowPositionals: true,
    });
    const { values, positionals } = parsed;
    if (positionals.length !== 1) throw new CliError('expected exactly one INNER buildpack (dir or .zip)');
    if (!values.manifest) throw new CliError('--manifest bpx.yml is required');
    if (!values.output) throw new CliError('-o OUT is required');
    const [{ wrapBuildpack, WrapError }, { builtins }] = await Promise.all([
      import('../../wrap/wrap.ts'),
      import('../../../extensions/index.ts'),
    ]);
    const [{ UnsafeZipError, ZipReadError }, { describeFsError, isFsError }] = await Promise.all([
      import('../../platform/zip-extract.ts'),
      import('../../platform/fs-error.ts'),
    ]);
    const at = (p: string) => resolve(io.cwd, p);
    try {
      const r = await wrapBuildpack({
        inner: at(positionals[0]),
        manifest: at(values.manifest),
        out: at(values.output),
        bundle: await bundlePath(),
        node: values.node ? at(values.node) : process.execPath,
        builtinNames: Object.keys(builtins),
        force: values.force ?? false,
        tmpDir: tmpdir(),
      });
      if (r.windowsScripts.length) {
        io.stderr.write(
          `bpx wrap: ${positionals[0]} has Windows scripts (${r.windowsScripts.join(', ')}): they stay under inner/, but the wrapped buildpack is for Linux stacks only\n`,
        );
      }
      if (r.codeCache && 'error' in r.codeCache)
        io.stderr.write(
          `bpx wrap: warning: no code cache for the phase runtime (${r.codeCache.error}): phases run the same, about 35 ms slower each\n`,
        );
      io.stderr.write(
        `bpx wrap: wrote ${r.out} (shims: ${r.phases.join(', ')}; without Node unless the app adds extensions: ${r.fastPath.join(', ') || 'none'})\n`,
      );
      return 0;
    } catch (err) {
      if (err instanceof WrapError) {
        for (const e of err.manifestErrors) io.stderr.write(`${values.manifest}:${e.line}:${e.column}: ${e.path}: ${e.message}\n`);
        throw new CliError(err.message, 1);
      }
      if (err instanceof UnsafeZipError || err instanceof ZipReadError) throw new CliError(err.message, 1);
      if (isFsError(err)) throw new CliError(`${err.path ?? values.output}: ${describeFsError(err)}`, 1);
      throw err;
    }
  },
};
export default command;
