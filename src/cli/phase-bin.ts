// Entry point of the small bundle the wrapper's shims start (dist/phase/bpx-phase.mjs): only `bpx phase`, so Node compiles
// little; the command sits in a chunk loaded after Node's compile cache is on, extension code in chunks loaded on use.
import { enableCompileCache } from './compile-cache.ts';
import { CliError, processIo } from './io.ts';

enableCompileCache();
const [name, ...rest] = process.argv.slice(2);
const io = processIo();
(name === 'phase'
  ? import('./commands/phase.ts').then(({ default: command }) => command.run(rest, io))
  : Promise.reject(new CliError(`this bundle only runs 'phase' (got '${name ?? ''}')`))
).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`bpx phase: ${err instanceof CliError ? err.message : (err?.stack ?? err)}\n`);
    process.exitCode = err instanceof CliError ? err.exitCode : 70;
  },
);
