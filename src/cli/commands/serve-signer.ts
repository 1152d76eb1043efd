// bpx serve-signer: run the reference remote signing service (src/serve/signer-server.ts).
// The help is all this file holds: `bpx serve-signer --help` loads none of what the command runs (src/cli/serve-signer/run.ts).
import type { Command } from '../io.ts';

const help = `Usage: bpx serve-signer --key KEY.pem [--port N] [--host ADDR] [--token-env NAME] [--hmac-key-env NAME]
                        [--tls-cert FILE --tls-key FILE]

Runs a reference signing service for builtin:sbom's remote signing
(signingKey: {http: URL, token: {env: NAME}}), so the private key stays out of the staging
container. Each request POSTs {"version": 1, "pae": "<base64 DSSE PAE>"}; the answer is
{"keyid": "...", "sig": "<base64>"}: Ed25519 keys sign the PAE (raw 64-byte signature),
ECDSA P-256 keys sign SHA-256 of the PAE (DER signature). The keyid is the lowercase hex
SHA-256 of the public key's DER SubjectPublicKeyInfo. Only well-formed DSSE PAEs are signed.
Each request is logged as one JSON line on stdout (payload type and size, never the token).

Options:
  --key FILE           PEM private key (PKCS#8 or SEC1), Ed25519 or ECDSA P-256 (required)
  --port N             port to listen on (default 8788; 0 picks a free one)
  --host ADDR          address to bind (default 127.0.0.1)
  --token-env NAME     require "Authorization: Bearer <value of NAME>"
  --hmac-key-env NAME  require a valid X-Bpx-Signature made with the value of NAME
  --tls-cert FILE      serve HTTPS with this PEM certificate (chain) ...
  --tls-key FILE       ... and this PEM private key
  -h, --help           this text

Prints the URL it listens on and the keyid, and stops on SIGINT or SIGTERM.
`;

const command: Command = {
  summary: 'run a reference remote signing service for builtin:sbom (DSSE, Ed25519/ECDSA P-256)',
  help,
  run: async (argv, io) => (await import('../serve-signer/run.ts')).runServeSigner(argv, io),
};
export default command;
