// Output streams for code under test (runPhase, the CLI's main): writable streams whose text is kept.
import { PassThrough } from 'node:stream';

export interface Captured {
  stdout: PassThrough;
  stderr: PassThrough;
  /** what was written to stdout so far */
  out(): string;
  /** what was written to stderr so far */
  err(): string;
}

export function captureStreams(): Captured {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += d));
  stderr.on('data', (d) => (err += d));
  return { stdout, stderr, out: () => out, err: () => err };
}
