// Line numbers for keys of machine-written JSON (NuGet lock and deps files): JSON.parse keeps no positions.
/** Offsets of each line start, built once per file; lineAt is a binary search. */
export class LineIndex {
  readonly #starts: number[] = [0];
  constructor(readonly text: string) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.#starts.push(i + 1);
  }
  /** 1-based line of a character offset. */
  lineAt(offset: number): number {
    let lo = 0;
    let hi = this.#starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.#starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }
}

/**
 * Finds `"key": {` (an object member, not a `"key": "1.0"` dependency pin) at or after `from` (keys come in document order, so callers advance a cursor and the whole
 * file is scanned once). Returns the offset, or -1.
 */
export function findKey(text: string, key: string, from: number): number {
  const needle = JSON.stringify(key);
  for (let i = text.indexOf(needle, from); i >= 0; i = text.indexOf(needle, i + 1)) {
    let j = i + needle.length;
    while (text[j] === ' ' || text[j] === '\t' || text[j] === '\r' || text[j] === '\n') j++;
    if (text[j] !== ':') continue;
    j++;
    while (text[j] === ' ' || text[j] === '\t' || text[j] === '\r' || text[j] === '\n') j++;
    if (text[j] === '{') return i;
  }
  return -1;
}
