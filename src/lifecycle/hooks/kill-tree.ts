// Kills a whole process group (POSIX: kill(-pgid)), for extensions spawned detached as group leaders.

/** Signals every process of the group led by pid; false when the group is already gone. */
export function killGroup(pid: number | undefined, signal: NodeJS.Signals): boolean {
  if (!pid) return false;
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

/** Process groups of extensions still running: a phase that is itself interrupted kills them before it exits. */
export const liveGroups = new Set<number>();

/** Kills every live extension group (SIGKILL): used on SIGINT/SIGTERM of the phase. */
export function killLiveGroups(): void {
  for (const pid of liveGroups) killGroup(pid, 'SIGKILL');
  liveGroups.clear();
}
