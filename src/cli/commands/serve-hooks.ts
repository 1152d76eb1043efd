// bpx serve-hooks: run the reference receiver for `http:` extensions (src/serve/hooks-server.ts).
// The help is all this file holds: `bpx serve-hooks --help` loads none of what the command runs (src/cli/serve-hooks/run.ts).
import type { Command } from '../io.ts';

const help = `Usage: bpx serve-hooks [--port N] [--host ADDR] [--policy FILE] [--token-env NAME] [--hmac-key-env NAME]
                       [--tls-cert FILE --tls-key FILE]

Runs a reference receiver for http: extensions. It logs every request it gets as one JSON
line on stdout (extension, phase, app, component and finding counts, status, verdict; never
the token or signature) and answers from a small policy:

  deny:                       # any component whose purl starts with one of these → verdict fail
    - purl: pkg:npm/event-stream@3.3.6
      reason: compromised release
  warn:                       # → verdict warn
    - purl: pkg:npm/request
  failOnSeverity: high        # a finding sent along at or above this severity → verdict fail

A purl prefix matches on a boundary: pkg:npm/request matches pkg:npm/request@2.88.2 but not
pkg:npm/request-promise@4.2.6. Without --policy every request passes. Ask the stager for
components with  with: {send: [components, findings]}.

Options:
  --port N             port to listen on (default 8787; 0 picks a free one)
  --host ADDR          address to bind (default 127.0.0.1)
  --policy FILE        the policy, YAML or JSON
  --token-env NAME     require "Authorization: Bearer <value of NAME>"
  --hmac-key-env NAME  require a valid X-Bpx-Signature made with the value of NAME, and an
                       X-Bpx-Timestamp within 5 minutes; otherwise answer 401
  --tls-cert FILE      serve HTTPS with this PEM certificate (chain) ...
  --tls-key FILE       ... and this PEM private key
  -h, --help           this text

Prints the URL it listens on, and stops on SIGINT or SIGTERM.
`;

const command: Command = {
  summary: 'run a reference receiver for http: extensions (logs requests, answers from a policy)',
  help,
  run: async (argv, io) => (await import('../serve-hooks/run.ts')).runServeHooks(argv, io),
};
export default command;
