// Declared licenses of installed packages, normalised to SPDX once per distinct declaration (shared by the managers).
import { normaliseLicenses, type License } from '../model/index.ts';

// Installed trees repeat a handful of license strings hundreds of times; SPDX parsing is the costly part.
const LICENSE_MEMO = new Map<string, License[]>();

/** normaliseLicenses, memoised on the joined raw strings (bounded; results are copied, never shared). */
export function licensesOf(raws: string[]): License[] {
  const key = raws.join('\0');
  let hit = LICENSE_MEMO.get(key);
  if (!hit) {
    hit = normaliseLicenses(raws);
    if (LICENSE_MEMO.size < 1000) LICENSE_MEMO.set(key, hit);
  }
  return hit.map((l) => ({ ...l }));
}
