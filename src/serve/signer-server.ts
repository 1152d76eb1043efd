// bpx serve-signer: the reference remote signing service (schemas/sign-request.schema.json → schemas/sign-response.schema.json).
import { Ajv } from 'ajv';
import requestSchema from '../../schemas/sign-request.schema.json' with { type: 'json' };
import { formatAjvErrors } from '../http/schema-errors.ts';
import { serveJson, HttpProblem, type RunningServer, type ServeOptions } from './http-server.ts';
import { parsePae } from './pae.ts';
import type { SigningKey } from './signing-key.ts';

export interface SignerServerOptions extends ServeOptions {
  key: SigningKey;
}

export function startSignerServer(opts: SignerServerOptions): Promise<RunningServer> {
  const validate = new Ajv({ allErrors: true, strict: false }).compile(requestSchema);
  return serveJson(opts, (json) => {
    if (!validate(json)) throw new HttpProblem(400, formatAjvErrors('request', validate.errors));
    const pae = Buffer.from((json as { pae: string }).pae, 'base64');
    // Sign only well-formed DSSE PAEs: the service must not become a general-purpose signing oracle.
    const parsed = parsePae(pae);
    if (!parsed) throw new HttpProblem(400, 'pae is not a DSSE pre-authentication encoding');
    const sig = opts.key.sign(pae);
    return {
      status: 200,
      body: { keyid: opts.key.keyid, sig: sig.toString('base64') },
      log: { algorithm: opts.key.algorithm, keyid: opts.key.keyid, payloadBytes: parsed.payloadBytes, payloadType: parsed.payloadType },
    };
  });
}
