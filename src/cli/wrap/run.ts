// What `bpx wrap` runs: its help and summary are in src/cli/commands/wrap.ts, so that `bpx wrap --help` loads
// none of this.
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCommandArgs } from '../parse-args.ts';
import { CliError, type Io } from '../io.ts';
import { CLI_CHUNKS, CLI_ENTRY } from '../../wrap/runtime-layout.ts';

/** dist/bpx.cjs: the entry of this very bundle when running bundled (this code sits in dist/cli/), else the repo's build (built on demand). */
async function bundlePath(): Promise<string> {
  const self = fileURLToPath(import.meta.url);
  if (self.endsWith('.mjs')) return basename(dirname(self)) === CLI_CHUNKS ? resolve(dirname(self), '..', CLI_ENTRY) : self;
  const root = resolve(dirname(self), '..', '..', '..');
  const dist = resolve(root, 'dist', CLI_ENTRY);
  if (!existsSync(dist)) {
    const { execa } = await import('execa');
    await execa(process.execPath, [resolve(root, 'scripts', 'build.mjs'), '--quiet'], { cwd: root });
  }
  return dist;
}

export async function runWrap(argv: string[], io: Io): Promise<number> {
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
}
