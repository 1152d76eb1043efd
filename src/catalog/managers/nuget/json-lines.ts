// Where keys of machine-written JSON (NuGet lock and deps files) sit: JSON.parse keeps no positions.
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
