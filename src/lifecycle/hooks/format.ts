// Durations as people read them in the staging log: 90000 → `90s`, 120000 → `2m`.
export function formatMs(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

/**
 * Milliseconds since `start` (process.hrtime.bigint()): the phase runtime times its extensions with the process clock,
 * because the first use of the `performance` global loads Node's perf_hooks (eleven modules) in every phase.
 */
export function msSince(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}
