// bpx verify (not built yet: the issue that names it replaces this file).
import type { Command } from '../io.ts';
import { CliError } from '../io.ts';

const command: Command = {
  summary: '(not built yet)',
  help: 'Usage: bpx verify\n\nNot built yet.\n',
  async run() {
    throw new CliError('bpx verify is not built yet', 2);
  },
};
export default command;
