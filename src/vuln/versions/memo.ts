// Bounded memoisation of version parsing, shared by the comparators in this folder.
// Why: matching compares each component version with many range events, and the same event versions recur
// across advisories, so without it every comparison re-parses both strings (regexes, splits) again.

/** 100,000 distinct strings per scheme covers a full osv.dev export; past it the cache starts over (bounded memory). */
const MAX_ENTRIES = 100_000;

/**
 * `parse` memoised by its input string. The returned values are shared between calls: callers must treat them
 * as read-only (the comparators only read them).
 */
export function memoize<T>(parse: (input: string) => T): (input: string) => T {
  const cache = new Map<string, T>();
  return (input) => {
    let hit = cache.get(input);
    if (hit === undefined && !cache.has(input)) {
      if (cache.size >= MAX_ENTRIES) cache.clear();
      hit = parse(input);
      cache.set(input, hit);
    }
    return hit as T;
  };
}
