// Splits an NVD API response page or 2.0 feed file (`{…, "vulnerabilities": [{"cve": {…}}, …]}`) into its records
// without parsing the whole: a year's feed is hundreds of megabytes, one string and one object graph that size cost
// seconds and a gigabyte, while its records parsed one by one die young. Only the top level is walked; strings are
// skipped by searching for their closing quote.

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** The index just past the string that opens at `i` (a `"`), or -1 when it does not close. */
function skipString(buf: Buffer, i: number): number {
  let j = i + 1;
  for (;;) {
    j = buf.indexOf(QUOTE, j);
    if (j < 0) return -1;
    let k = j - 1;
    let escapes = 0;
    while (buf[k] === BACKSLASH) (escapes++, k--);
    if (escapes % 2 === 0) return j + 1;
    j++;
  }
}

/** The index just past the JSON value that starts at `i` (object, array, string or scalar), or -1. */
function skipValue(buf: Buffer, i: number): number {
  const c = buf[i];
  if (c === QUOTE) return skipString(buf, i);
  if (c !== 0x7b && c !== 0x5b) {
    // a number, true, false, null: up to the next delimiter
    while (i < buf.length && buf[i] !== 0x2c && buf[i] !== 0x7d && buf[i] !== 0x5d && buf[i]! > 0x20) i++;
    return i;
  }
  let depth = 0;
  for (; i < buf.length; i++) {
    const b = buf[i];
    if (b === QUOTE) {
      const end = skipString(buf, i);
      if (end < 0) return -1;
      i = end - 1;
    } else if (b === 0x7b || b === 0x5b) depth++;
    else if (b === 0x7d || b === 0x5d) {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}

const skipSpace = (buf: Buffer, i: number): number => {
  while (i < buf.length && (buf[i] === 0x20 || buf[i] === 0x0a || buf[i] === 0x0d || buf[i] === 0x09)) i++;
  return i;
};

/**
 * The byte ranges of the elements of the top-level key `key`'s array, when `buf` is a JSON object that has one
 * (`[start, end)` each); undefined for any other shape, or JSON this walk cannot follow (the caller parses it whole).
 */
export function topLevelArrayItems(buf: Buffer, key: string): Array<[number, number]> | undefined {
  let i = skipSpace(buf, buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0);
  if (buf[i] !== 0x7b) return undefined;
  i = skipSpace(buf, i + 1);
  while (i < buf.length && buf[i] === QUOTE) {
    const end = skipString(buf, i);
    if (end < 0) return undefined;
    const name = buf.toString('utf8', i + 1, end - 1);
    i = skipSpace(buf, end);
    if (buf[i] !== 0x3a) return undefined;
    i = skipSpace(buf, i + 1);
    if (name === key && buf[i] === 0x5b) {
      const items: Array<[number, number]> = [];
      i = skipSpace(buf, i + 1);
      while (buf[i] !== 0x5d) {
        const e = skipValue(buf, i);
        if (e < 0) return undefined;
        items.push([i, e]);
        i = skipSpace(buf, e);
        if (buf[i] === 0x2c) i = skipSpace(buf, i + 1);
        else if (buf[i] !== 0x5d) return undefined;
      }
      return items;
    }
    const e = skipValue(buf, i);
    if (e < 0) return undefined;
    i = skipSpace(buf, e);
    if (buf[i] === 0x2c) i = skipSpace(buf, i + 1);
  }
  return undefined;
}

/**
 * The members of the JSON object at `[from, to)` as key → byte range of the value; undefined when it is not an object
 * this walk can follow. Keys are read as JSON strings (escapes decoded).
 */
export function objectMembers(buf: Buffer, from: number, to: number): Map<string, [number, number]> | undefined {
  let i = skipSpace(buf, from);
  if (buf[i] !== 0x7b) return undefined;
  const out = new Map<string, [number, number]>();
  i = skipSpace(buf, i + 1);
  while (i < to && buf[i] === QUOTE) {
    const end = skipString(buf, i);
    if (end < 0 || end > to) return undefined;
    const raw = buf.toString('utf8', i, end);
    const key = raw.includes('\\') ? (JSON.parse(raw) as string) : raw.slice(1, -1);
    i = skipSpace(buf, end);
    if (buf[i] !== 0x3a) return undefined;
    i = skipSpace(buf, i + 1);
    const e = skipValue(buf, i);
    if (e < 0 || e > to) return undefined;
    out.set(key, [i, e]);
    i = skipSpace(buf, e);
    if (buf[i] === 0x2c) i = skipSpace(buf, i + 1);
    else if (buf[i] === 0x7d) return out;
    else return undefined;
  }
  return buf[i] === 0x7d ? out : undefined;
}

/**
 * The object at `[from, to)` with only the members `keys` parsed (the others, a record's references, weaknesses and
 * CNA data, are skipped unread); undefined when it is not an object this walk can follow (parse it whole instead).
 */
export function parseMembers(buf: Buffer, from: number, to: number, keys: ReadonlySet<string>): Record<string, unknown> | undefined {
  const members = objectMembers(buf, from, to);
  if (!members) return undefined;
  const out: Record<string, unknown> = {};
  for (const [k, [a, b]] of members) if (keys.has(k)) out[k] = JSON.parse(buf.toString('utf8', a, b));
  return out;
}
