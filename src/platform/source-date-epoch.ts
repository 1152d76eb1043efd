// SOURCE_DATE_EPOCH (reproducible-builds.org/specs/source-date-epoch): the one time bpx writes into outputs.

/** A SOURCE_DATE_EPOCH that is set but not a whole number of seconds. */
export class SourceDateEpochError extends Error {
  constructor(value: string) {
    super(`SOURCE_DATE_EPOCH must be a whole number of seconds, got ${JSON.stringify(value)}`);
    this.name = 'SourceDateEpochError';
  }
}

/** Seconds since the epoch; undefined when unset or empty; throws SourceDateEpochError otherwise ("1700000000" → 1700000000). */
export function parseSourceDateEpoch(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (!/^\d{1,12}$/.test(value)) throw new SourceDateEpochError(value);
  return Number(value);
}
