// Command-line options with node:util parseArgs; a bad option is a usage error (exit 2) that points at --help.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CliError } from './io.ts';

export function parseCommandArgs<T extends ParseArgsConfig>(command: string, config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (err) {
    throw new CliError(`${(err as Error).message}\nRun bpx ${command} --help for usage.`);
  }
}
