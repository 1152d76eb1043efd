// The one error `bpx wrap` reports: a located message, plus the manifest's own errors when it is invalid.
import type { ManifestError } from '../manifest/types.ts';

export class WrapError extends Error {
  constructor(
    message: string,
    readonly manifestErrors: ManifestError[] = [],
  ) {
    super(message);
    this.name = 'WrapError';
  }
}
