// The bpx command line: dispatches to one command module, prints errors, sets the exit code.
// Bundled into the entry file (bin.ts) with the command list and nothing else: what it shares with the commands
// (streams, argument parsing, exit codes, the version) is imported where it is used, so `bpx --help` reads one file.
import { commands, SUMMARIES } from './commands/index.ts';
import type { Io } from './io.ts';

/** package.json's version, written in by the build (scripts/build.mjs); undefined when running from source. */
declare const BPX_VERSION: string | undefined;

function usage(): string {
  const lines = Object.keys(commands).map((n) => `  ${n.padEnd(14)}${SUMMARIES[n]}`);
  return `Usage: bpx <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nRun bpx <command> --help (or bpx help <command>) for a command's options.\n`;
}

/** `bpx: unknown command 'scna' (did you mean scan?; run bpx --help for the list)`, exit 2. */
async function unknownCommand(io: Io, name: string): Promise<number> {
  const { closest } = await import('./parse-args.ts');
  const near = closest(name, Object.keys(commands));
  const shown = JSON.stringify(name.length > 60 ? `${name.slice(0, 57)}...` : name).slice(1, -1);
  io.stderr.write(`bpx: unknown command '${shown}' (${near ? `did you mean ${near}?; ` : ''}run bpx --help for the list)\n`);
  return 2;
}

/** Runs one command; `given` (the streams, environment and cwd) defaults to this process's. */
export async function main(argv: string[], given?: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h') {
    (given?.stdout ?? process.stdout).write(usage());
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-v') {
    const version = typeof BPX_VERSION === 'string' ? BPX_VERSION : (await import('../version.ts')).VERSION;
    (given?.stdout ?? process.stdout).write(`${version}\n`);
    return 0;
  }
  const { CliError, processIo } = await import('./io.ts');
  const io = given ?? processIo();
  if (name === 'help') {
    // bpx help [<command>]: the same text as bpx <command> --help
    const topic = rest[0];
    if (topic === undefined || topic === 'help' || topic === '--help' || topic === '-h') {
      io.stdout.write(usage());
      return 0;
    }
    if (rest.length > 1) {
      io.stderr.write('bpx help: give one command (run bpx --help for the list)\n');
      return 2;
    }
    const load = Object.hasOwn(commands, topic) ? commands[topic] : undefined;
    if (!load) return unknownCommand(io, topic);
    io.stdout.write((await load()).default.help);
    return 0;
  }
  const load = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!load) return unknownCommand(io, name);
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
      // one line: a message that spans lines (a file's text quoted by a parser) is cut at the first
      io.stderr.write(`bpx ${name}: ${err.message.split('\n')[0]}\n`);
      return err.exitCode;
    }
    const e = err as Error;
    io.stderr.write(`bpx ${name}: internal error: ${e?.stack ?? String(err)}\n`);
    return (await import('../platform/exit-codes.ts')).CLI_EXIT.internal;
  }
}
