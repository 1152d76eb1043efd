// What `bpx serve-hooks` runs: its help and summary are in src/cli/commands/serve-hooks.ts, so that `bpx serve-hooks --help` loads
// none of this.
import { CliError, type Io } from '../io.ts';
import { parseCommandArgs } from '../parse-args.ts';
import { startHooksServer, parsePolicy, type HooksPolicy } from '../../serve/index.ts';
import { SERVE_OPTIONS, readOptionFile, serve } from '../serve-options.ts';

export async function runServeHooks(argv: string[], io: Io): Promise<number> {
  const { values } = parseCommandArgs('serve-hooks', {
    args: argv,
    options: { ...SERVE_OPTIONS, policy: { type: 'string' } },
    allowPositionals: false,
  });
  let policy: HooksPolicy | undefined;
  if (values.policy) {
    const text = await readOptionFile(io, '--policy', values.policy);
    try {
      policy = parsePolicy(text, values.policy);
    } catch (e) {
      throw new CliError((e as Error).message);
    }
  }
  return serve(io, 'serve-hooks', values, 8787, (common) => startHooksServer({ ...common, policy }));
}
