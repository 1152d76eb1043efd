// Entry point of the bundled CLI (dist/bpx.cjs, made a CommonJS script by scripts/build.mjs so that Node starts it
// without its ES module loader): the command line itself (main.ts, the command list, argument parsing) is in this one
// file, so `bpx --help` and `bpx --version` read no other; each command is an ES module chunk (dist/cli/) loaded on
// demand, after Node's compile cache is on (where Node has one: 22.1+; it cannot cover this file, compiled first).
import { enableCompileCache } from './compile-cache.ts';
import { main } from './main.ts';

enableCompileCache();
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`bpx: ${err?.stack ?? err}\n`);
    process.exitCode = 70;
  },
);
