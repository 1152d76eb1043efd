// What a command receives from the CLI: argv already split off, the streams, the environment and cwd.
import { CLI_EXIT } from '../platform/exit-codes.ts';
export interface Io {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream;
  env: Record<string, string | undefined>;
  cwd: string;
  /** true when stderr is a terminal (progress bars, colours). */
  isTTY: boolean;
}

export interface Command {
  /** one line for `bpx --help` */
  summary: string;
  /** the full `bpx <cmd> --help` text */
  help: string;
  /** returns the exit code */
  run(argv: string[], io: Io): Promise<number>;
}

/** The running process's streams, environment and cwd: what bin.ts and phase-bin.ts give a command. */
export function processIo(): Io {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    // on first use only: Node builds process.stdin (a socket, a pipe or a file stream, with their modules) when it is
    // first read, a cost every wrapped phase paid for a stream no command reads unless it needs it
    get stdin() {
      return process.stdin;
    },
    env: process.env,
    cwd: process.cwd(),
    isTTY: Boolean(process.stderr.isTTY),
  };
}

/** An error the CLI prints as `bpx <cmd>: message` and turns into an exit code (2 for usage errors). */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = CLI_EXIT.usage,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** `/abs/x.tgz: not a readable droplet` → `not a readable droplet`, for a line that already names the target. */
export function withoutPath(abs: string, message: string): string {
  return message.startsWith(`${abs}: `) ? message.slice(abs.length + 2) : message;
}
