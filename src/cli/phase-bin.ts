// Entry point of the small bundle the wrapper's shims start (dist/bpx-phase.mjs): only `bpx phase`, so Node compiles little.
import command from './commands/phase.ts';
import { CliError } from './io.ts';

const [name, ...rest] = process.argv.slice(2);
const io = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env, cwd: process.cwd(), isTTY: Boolean(process.stderr.isTTY) };
(name === 'phase' ? command.run(rest, io) : Promise.reject(new CliError(`this bundle only runs 'phase' (got '${name ?? ''}')`))).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`bpx phase: ${err instanceof CliError ? err.message : (err?.stack ?? err)}\n`);
    process.exitCode = err instanceof CliError ? err.exitCode : 70;
  },
);
