// The bpx command line: dispatches to one command module, prints errors, sets the exit code.
import { commands } from './commands/index.ts';
import { CliError, type Io } from './io.ts';
import { VERSION } from '../version.ts';


export async function main(argv: string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    const lines = await Promise.all(
      Object.entries(commands).map(async ([n, load]) => `  ${n.padEnd(14)}${(await load()).default.summary}`),
    );
    io.stdout.write(`Usage: bpx <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nRun bpx <command> --help for a command's options.\n`);
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-v') {
    io.stdout.write(`${VERSION}\n`);
    return 0;
  }
  const load = commands[name];
  if (!load) {
    io.stderr.write(`bpx: unknown command '${name}'. Run bpx --help for the list.\n`);
    return 2;
  }
  const command = (await load()).default;
  if (rest.includes('--help') || rest.includes('-h')) {
    // `phase` passes the builder's argv through untouched, so only treat --help as help when it comes first there.
    if (name !== 'phase' || rest[0] === '--help' || rest[0] === '-h') {
      io.stdout.write(command.help);
      return 0;
    }
  }
  try {
    return await command.run(rest, io);
  } catch (err) {
    if (err instanceof CliError) {
      io.stderr.write(`bpx ${name}: ${err.message}\n`);
      return err.exitCode;
    }
    const e = err as Error;
    io.stderr.write(`bpx ${name}: internal error: ${e?.stack ?? String(err)}\n`);
    return 70;
  }
}

export function processIo(): Io {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
    isTTY: Boolean(process.stderr.isTTY),
  };
}
