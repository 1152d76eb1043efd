// What a command receives from the CLI: argv already split off, the streams, the environment and cwd.
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

/** An error the CLI prints as `bpx <cmd>: message` and turns into an exit code (2 for usage errors). */
export class CliError extends Error {
  constructor(message: string, readonly exitCode = 2) {
    super(message);
    this.name = 'CliError';
  }
}
