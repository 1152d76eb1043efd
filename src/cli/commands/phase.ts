// bpx phase: what the wrapper's shims run (bin/<phase> → `node bpx.cjs phase <phase> <the builder's argv>`).
import { exitCodeHelp } from '../../platform/exit-codes.ts';
import { appendFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import type { Command } from '../io.ts';
import { CliError } from '../io.ts';
import { PHASES, type Phase } from '../../platform/phases.ts';
// Static on purpose: the phase runtime (dist/phase) loads this with the command in one chunk; extension code stays lazy.
import { runPhase } from '../../lifecycle/phases/run-phase.ts';
import { builtins } from '../../../extensions/index.ts';
// static too: a dynamic import of this small module would be one more chunk for every phase to load
import { killLiveGroups } from '../../lifecycle/hooks/kill-tree.ts';
import { keptNodeEnvironment } from '../../platform/node-env.ts';
import { exitAfterOutput } from '../../platform/exit-after-output.ts';

const help = `Usage: bpx phase <detect|supply|finalize|compile|release> <argv as the CF builder passes it>
       bpx phase --wrapper DIR <phase> <argv...>

Runs one phase of a wrapped buildpack: the operator's (then the app's) extensions at <phase>:before,
the inner buildpack's bin/<phase> by its real path with the same argv, environment, stdin and
working directory, then the extensions at <phase>:after.

The shims of a wrapped buildpack (bin/<phase>) call this with BPX_WRAPPER_DIR set to the wrapper's
root; --wrapper DIR does the same by hand. The inner script never sees BPX_* variables.
When a phase has extensions only after the inner script, the shim runs the inner script itself and
calls this when it succeeded, with BPX_INNER_RAN=1 (and BPX_INNER_OUTPUT=FILE, its kept stdout).
BPX_PHASE_TIMINGS=FILE appends each extension's own time to FILE, one JSON line each (npm run bench).

argv per phase (as the builder passes it):
  detect   BUILD_DIR
  supply   BUILD_DIR CACHE_DIR DEPS_DIR DEPS_IDX
  finalize BUILD_DIR CACHE_DIR DEPS_DIR DEPS_IDX PROFILE_DIR
  compile  BUILD_DIR CACHE_DIR [ENV_DIR]
  release  BUILD_DIR

Output: detect and release stdout is exactly the inner script's; everything bpx and extensions
print then goes to stderr. In supply, finalize and compile extension output goes to stdout
(the staging log), each line prefixed with [<extension name>].

Exit codes: the inner script's own code when it fails (after-extensions are then skipped), else
${exitCodeHelp([0, 86, 87, 2, 130, 143], { 0: 'the inner script and every extension with onFailure: fail succeeded' })}
`;

const command: Command = {
  summary: 'run one phase of a wrapped buildpack (what the shims call)',
  help,
  async run(argv, io) {
    let args = argv;
    let wrapperDir = io.env.BPX_WRAPPER_DIR;
    if (args[0] === '--wrapper') {
      wrapperDir = args[1];
      if (!wrapperDir || wrapperDir.startsWith('-'))
        throw new CliError('--wrapper needs a DIR, the wrapped buildpack (run bpx phase --help)');
      // by hand: a wrong folder is a usage error (the shims pass BPX_WRAPPER_DIR, where a broken wrapper exits 87)
      if (
        !(await stat(resolve(io.cwd, wrapperDir)).then(
          (s) => s.isDirectory(),
          () => false,
        ))
      )
        throw new CliError(`--wrapper ${wrapperDir}: not a folder`);
      args = args.slice(2);
    }
    const [phase, ...rest] = args;
    if (!phase || !(PHASES as readonly string[]).includes(phase)) {
      throw new CliError(`expected a phase (${PHASES.join(', ')}), got ${phase ? `'${phase}'` : 'nothing'}`);
    }
    if (!wrapperDir)
      throw new CliError('BPX_WRAPPER_DIR is not set: bpx phase is run by the shims of a wrapped buildpack (or pass --wrapper DIR)');
    if (rest.length < 1) throw new CliError(`${phase} needs BUILD_DIR as its first argument`);
    // The builder (or Ctrl-C) stopping this phase stops the extensions it started too: they run in their own groups.
    for (const [sig, exit] of [
      ['SIGINT', 130],
      ['SIGTERM', 143],
    ] as const) {
      process.once(sig, () => {
        killLiveGroups();
        process.exit(exit);
      });
    }
    const code = await runPhase({
      phase: phase as Phase,
      argv: rest,
      wrapperDir: resolve(io.cwd, wrapperDir),
      env: keptNodeEnvironment(io.env),
      cwd: io.cwd,
      stdout: io.stdout,
      stderr: io.stderr,
      tmpDir: tmpdir(),
      builtins,
      graceMs: io.env.BPX_KILL_GRACE_MS ? Number(io.env.BPX_KILL_GRACE_MS) : undefined,
      // npm run bench (bench/wrapper.ts): each extension's own time, one JSON line each, to tell it from bpx's
      ...(io.env.BPX_PHASE_TIMINGS ? { onExtensionTime: timingsTo(io.env.BPX_PHASE_TIMINGS, phase) } : {}),
      // the shim ran the inner script first (it succeeded): only the extensions after it run here
      ...(io.env.BPX_INNER_RAN === '1' ? { innerRan: io.env.BPX_INNER_OUTPUT ? { output: io.env.BPX_INNER_OUTPUT } : {} } : {}),
    });
    // A built-in abandoned at its deadline may still hold timers or sockets: never let it keep the staging waiting, nor
    // cut short the output the builder has not read yet.
    setTimeout(() => exitAfterOutput(code), 2000).unref();
    return code;
  },
};
export default command;

/** Appends `{"phase","extension","when","ms"}` lines to file; a write that fails costs only the timing. */
function timingsTo(file: string, phase: string): (t: { extension: string; when: string; ms: number }) => void {
  return (t) => {
    try {
      appendFileSync(file, `${JSON.stringify({ phase, ...t })}\n`);
    } catch {
      // a bench aid: never a reason to fail a phase
    }
  };
}
