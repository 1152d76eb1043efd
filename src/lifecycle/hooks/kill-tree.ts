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
