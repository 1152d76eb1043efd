// 1-based line numbers for offsets in a text, built once per file (binary search per lookup).
export class LineIndex {
  readonly #starts: number[];
  constructor(text: string) {
    const starts = [0];
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    this.#starts = starts;
  }
  /** 1-based line of a character offset. */
  lineAt(offset: number): number {
    const s = this.#starts;
    let lo = 0;
    let hi = s.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (s[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }
}

/**
 * Finds JSON object keys in document order with a moving cursor, so locating N entries costs one pass:
 * next('"node_modules/a"') → 1-based line of the next `"node_modules/a": {` after the previous hit.
 */
export class JsonKeyCursor {
  #pos = 0;
  // Without a LineIndex, lines are counted as the cursor moves: hits come in document order, so a lockfile of
  // thousands of entries is scanned once and no array of its line starts is built.
  #countedTo = 0;
  #line = 1;
  readonly #lines: LineIndex | undefined;
  constructor(
    readonly text: string,
    lines?: LineIndex,
  ) {
    this.#lines = lines;
  }
  #lineAt(offset: number): number {
    if (this.#lines) return this.#lines.lineAt(offset);
    const t = this.text;
    for (let i = t.indexOf('\n', this.#countedTo); i >= 0 && i < offset; i = t.indexOf('\n', i + 1)) this.#line++;
    this.#countedTo = offset;
    return this.#line;
  }
  /** Line of the next occurrence of key `k` opening an object; undefined when not found (cursor unchanged). */
  next(k: string): number | undefined {
    const quoted = JSON.stringify(k);
    let i = this.text.indexOf(`${quoted}: {`, this.#pos);
    if (i < 0) i = this.text.indexOf(`${quoted}:`, this.#pos);
    if (i < 0) return undefined;
    this.#pos = i + quoted.length;
    return this.#lineAt(i);
  }
  /** Moves the cursor to just after the first occurrence of `marker` (e.g. `"packages"`), if any. */
  seek(marker: string): void {
    const i = this.text.indexOf(marker, this.#pos);
    if (i >= 0) this.#pos = i + marker.length;
  }
}

/** Line and column of a JSON.parse error message (`... at position 123` / `(line 4 column 2)`), else undefined. */
export function jsonErrorLine(text: string, err: unknown): number | undefined {
  const msg = (err as Error)?.message ?? '';
  const lc = /line (\d+) column \d+/.exec(msg);
  if (lc) return Number(lc[1]);
  // a truncated file fails at its very end: point at its last non-blank line, not the empty one after it
  const last = Math.max(0, text.trimEnd().length - 1);
  const pos = /position (\d+)/.exec(msg);
  if (pos) return new LineIndex(text).lineAt(Math.min(Number(pos[1]), last));
  if (/Unexpected end of JSON input/.test(msg)) return new LineIndex(text).lineAt(last);
  return undefined;
}
