// Entry point of the bundled CLI (dist/bpx.mjs): small on purpose; the command line and each command are chunks
// (dist/cli/) loaded on demand, after Node's compile cache is on.
import { enableCompileCache } from './compile-cache.ts';

enableCompileCache();
const { main } = await import('./main.ts');
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`bpx: ${err?.stack ?? err}\n`);
    process.exitCode = 70;
  },
);
