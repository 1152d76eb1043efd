// Durations as the manifest writes them: `500ms`, `30s`, `2m`, `1h`, or sums such as `1m30s`.
export const DEFAULT_TIMEOUT_MS = 5 * 60_000;

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** `1m30s` → 90000; undefined for anything else. */
export function parseDuration(text: string): number | undefined {
  if (!/^([0-9]+(ms|s|m|h))+$/.test(text)) return undefined;
  let total = 0;
  for (const m of text.matchAll(/([0-9]+)(ms|s|m|h)/g)) total += Number(m[1]) * UNIT_MS[m[2]];
  return total;
}
