// bpx keygen: a new Ed25519 or ECDSA P-256 key pair as PEM (PKCS#8 private, mode 0600; SPKI public).
// The help is all this file holds: `bpx keygen --help` loads none of what the command runs (src/cli/keygen/run.ts).
import type { Command } from '../io.ts';

const help = `Usage: bpx keygen --type ed25519|ecdsa-p256 -o PREFIX [--force]

Writes a new signing key pair for builtin:sbom and bpx verify:
  PREFIX.key   the private key, PEM PKCS#8, file mode 0600 (keep it off the droplet)
  PREFIX.pub   the public key, PEM SubjectPublicKeyInfo (give it to verifiers)
and prints the keyid (hex SHA-256 of the public key's DER SubjectPublicKeyInfo).
A PREFIX that ends in / or names a folder writes bpx.key and bpx.pub in that folder; missing folders
are created. Both files are written, or neither.

ECDSA P-256 signatures are randomised (a fresh nonce each time, as OpenSSL and cosign make them):
signing the same SBOM twice gives two different valid signatures. Ed25519 signatures are
deterministic; use Ed25519 when signed droplets must be byte-identical.

Options:
  --type TYPE          ed25519 (default) or ecdsa-p256
  -o, --output PREFIX  path prefix of the two files (required)
  --force              overwrite existing files
  -h, --help           this text
`;

const command: Command = {
  summary: 'create an Ed25519 or ECDSA P-256 signing key pair',
  help,
  run: async (argv, io) => (await import('../keygen/run.ts')).runKeygen(argv, io),
};
export default command;
