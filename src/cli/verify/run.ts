// What `bpx verify` runs: its help and summary are in src/cli/commands/verify.ts, so that `bpx verify --help` loads
// none of this.
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { parseCommandArgs } from '../parse-args.ts';
import { CliError, type Io } from '../io.ts';
import { type FailureCode, verifyDroplet } from '../../sbom/verify.ts';
import { readPublicKey } from '../public-key.ts';

type Code = FailureCode | 'not-found' | 'bad-key' | 'usage';

/** The --json document for an outcome that never reached the signature checks. */
function failed(code: Code, message: string): string {
  return `${JSON.stringify({ ok: false, envelopes: [], subjects: [], failures: [{ code, message }], issues: [] }, null, 2)}\n`;
}

export async function runVerify(argv: string[], io: Io): Promise<number> {
  // whether to answer in JSON is known before the options are fully read: a bad option is answered in JSON too
  let json = argv.includes('--json');
  let stage: Code = 'usage';
  try {
    const { values, positionals } = parseCommandArgs('verify', {
      args: argv,
      options: { key: { type: 'string' }, json: { type: 'boolean', default: false } },
      allowPositionals: true,
    });
    json = values.json;
    if (positionals.length !== 1) throw new CliError('give one droplet tarball or directory');
    if (!values.key) throw new CliError('--key PUB.pem is required');
    const target = path.resolve(io.cwd, positionals[0]);
    stage = 'bad-key';
    const pem = await readPublicKey(path.resolve(io.cwd, values.key), values.key);
    stage = 'not-found';
    if (
      !(await stat(target).then(
        () => true,
        () => false,
      ))
    )
      throw new CliError(`${positionals[0]}: no such file or directory`);
    stage = 'unreadable';
    let result;
    try {
      result = await verifyDroplet(target, pem);
    } catch (err) {
      throw new CliError((err as Error).message, 1);
    }
    if (json) io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    else if (result.ok) {
      io.stdout.write(
        `verified: ${result.envelopes.join(', ')}\n${result.subjects.map((s) => `  ${s.name} sha256:${s.signed}`).join('\n')}\n`,
      );
    }
    if (!json) for (const f of result.failures) io.stderr.write(`FAIL ${f.code}: ${f.message}\n`);
    for (const i of result.issues) if (i.severity !== 'error' && !json) io.stderr.write(`warning: ${i.path}: ${i.message}\n`);
    return result.ok ? 0 : 1;
  } catch (err) {
    // the one-line message still goes to stderr (main prints it); stdout stays one JSON document
    if (json && err instanceof CliError) io.stdout.write(failed(stage, err.message.split('\n')[0]!));
    throw err;
  }
}
