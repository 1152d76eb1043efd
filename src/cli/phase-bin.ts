// `bpx phase` for the wrapper's shims: the entry of the phase runtime (dist/phase/bpx-phase.cjs, src/wrap/runtime-layout.ts),
// whose main and warm phase-boot.cts calls. Extension code is loaded only when an extension needs it.
import { exitAfterOutput } from '../platform/exit-after-output.ts';
import { CliError, processIo } from './io.ts';

/**
 * Runs `bpx phase <argv...>`, then ends the process with its code once its output is out (exitAfterOutput). Nothing
 * else of a phase is left to finish then: its files are written synchronously and its extensions' process groups
 * killed, while a built-in abandoned at its deadline may still hold a timer or a socket. Node's own teardown of the
 * heap a capture leaves cost about 10 ms of every phase.
 */
export function main(argv: readonly string[]): void {
  const [name, ...rest] = argv;
  const io = processIo();
  (name === 'phase'
    ? import('./commands/phase.ts').then(({ default: command }) => command.run(rest, io))
    : Promise.reject(new CliError(`this bundle only runs 'phase' (got '${name ?? ''}')`))
  ).then(exitAfterOutput, (err) => {
    process.stderr.write(`bpx phase: ${err instanceof CliError ? err.message : (err?.stack ?? err)}\n`);
    exitAfterOutput(err instanceof CliError ? err.exitCode : 70);
  });
}

/**
 * Runs the set-up of every module a phase can load (the command, each built-in extension and what it imports), and
 * nothing else, so that the code cache written after it holds their compiled code: what `bpx wrap` does once.
 */
export async function warm(): Promise<void> {
  await import('./commands/phase.ts');
  const { builtins } = await import('../../extensions/index.ts');
  for (const load of Object.values(builtins)) await load();
  // and the functions a staging calls (a failure here costs only speed: what it would have compiled is compiled later)
  await import('./phase-warm.ts').then(({ rehearse }) => rehearse()).catch(() => undefined);
}
