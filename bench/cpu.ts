import { readdirSync, readFileSync } from 'node:fs';

/** Linux's clock ticks per second for /proc/<pid>/stat times (USER_HZ; 100 on every kernel config Debian ships). */
const TICKS_PER_SECOND = 100;

type ProcStat = { ppid: number; ownTicks: number; reapedChildrenTicks: number };

function readStat(pid: number): ProcStat | undefined {
  try {
    const line = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces: split after its last ')'.
    const fields = line.slice(line.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state): ppid is field 4, utime/stime 14/15, cutime/cstime 16/17.
    const at = (field: number) => Number(fields[field - 3]);
    return { ppid: at(4), ownTicks: at(14) + at(15), reapedChildrenTicks: at(16) + at(17) };
  } catch {
    return undefined; // the process ended between the listing and the read
  }
}

/**
 * CPU time (ms) used so far by a process and every process below it, as /proc tells: the live
 * ones' own time plus what the ones already ended used (counted in their parent once it reaped
 * them). For a PostgreSQL server: the postmaster, its backends and background workers.
 */
export function processTreeCpuMs(rootPid: number): number {
  const stats = new Map<number, ProcStat>();
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid)) continue;
    const stat = readStat(pid);
    if (stat) stats.set(pid, stat);
  }
  let ticks = 0;
  const pending = [rootPid];
  while (pending.length > 0) {
    const pid = pending.pop() as number;
    const stat = stats.get(pid);
    if (!stat) continue;
    ticks += stat.ownTicks + stat.reapedChildrenTicks;
    for (const [child, s] of stats) if (s.ppid === pid) pending.push(child);
  }
  return (ticks * 1000) / TICKS_PER_SECOND;
}

/** This process's CPU time (ms), user and system, all its threads. */
export function ownCpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}
