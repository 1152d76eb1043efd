// Entry point of the bundled CLI (dist/bpx.mjs).
import { main, processIo } from './main.ts';

main(process.argv.slice(2), processIo()).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`bpx: ${err?.stack ?? err}\n`);
    process.exitCode = 70;
  },
);
