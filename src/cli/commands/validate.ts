// bpx validate: checks bpx.yml files against schemas/manifest.schema.json and bpx's own rules.
// The help is all this file holds: `bpx validate --help` loads none of what the command runs (src/cli/validate/run.ts).
import { exitCodeHelp } from '../../platform/exit-codes.ts';
import type { Command } from '../io.ts';

const help = `Usage: bpx validate [--json] [--app] FILE...

Validates bpx.yml manifests (schemas/manifest.schema.json) as bpx wrap and staging will: YAML (one
document; aliases that cycle, dangle or expand past 100 nodes are errors), unknown keys, wrong types
and values, exactly one of run/uses/http per extension, unique names, known built-ins, run scripts
that exist and are executable (relative to the manifest's directory), and each extension's settings:
a built-in's with: against its schema (schemas/settings/<name>.schema.json) and the files and keys it
names (signingKey.file must be an Ed25519 or ECDSA P-256 private key, osv db must hold records), an
http extension's with: and its URL (plain http:// only to a loopback host, or with insecure: true).

Prints every problem as FILE:LINE:COL: PATH: message, e.g.
  ops/bpx.yml:7:5: extensions[0].onFailur: unknown key 'onFailur' (did you mean 'onFailure'?)
  ops/bpx.yml:12:28: extensions[2].with.failon: unknown key 'failon' (did you mean 'failOn'?)
Warnings (printed with "warning:", exit code unchanged) name orders that would break the signature.

Options:
  --json   print {"files":[{"file","valid","errors":[{file,line,column,path,message,severity}]}]}
  --app    check the files as an app's own bpx.yml (which may not carry the operator's app: section)
  -h, --help

Exit codes:
${exitCodeHelp([0, 1, 2], { 0: 'all valid (warnings may be printed)', 1: 'any error' })}
`;

const command: Command = {
  summary: 'check bpx.yml manifests, every error with file:line:column and field path',
  help,
  run: async (argv, io) => (await import('../validate/run.ts')).runValidate(argv, io),
};
export default command;
