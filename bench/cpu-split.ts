/**
 * Where the machine's CPU went during a bench, from /proc (Linux): this process (every thread),
 * its child processes (the SMTP relay), the PostgreSQL server, Dovecot, and everything else on
 * the machine (another bench, a build). On a shared 2-core machine the last one says how far a
 * figure can be trusted; the others say which part to make cheaper.
 */
import { readdirSync, readFileSync } from 'node:fs';

type ProcStat = { pid: number; ppid: number; comm: string; ms: number };
export type CpuPart = 'bench' | 'children' | 'postgres' | 'dovecot' | 'elsewhere';
export type CpuSnapshot = { perPid: Map<number, ProcStat>; machineMs: number };

const TICK_MS = 10; // USER_HZ = 100

function readStat(pid: number): ProcStat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    const comm = text.slice(text.indexOf('(') + 1, text.lastIndexOf(')'));
    return { pid, ppid: Number(fields[1]), comm, ms: (Number(fields[11]) + Number(fields[12])) * TICK_MS };
  } catch {
    return undefined; // ended meanwhile
  }
}

export function snapshotCpu(): CpuSnapshot {
  const perPid = new Map<number, ProcStat>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readStat(Number(name));
    if (stat) perPid.set(stat.pid, stat);
  }
  // Busy time of every CPU: user, nice, system, irq, softirq, steal (not idle, not iowait).
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const busy = [0, 1, 2, 5, 6, 7].reduce((sum, i) => sum + (cpu[i] ?? 0), 0);
  return { perPid, machineMs: busy * TICK_MS };
}

/**
 * CPU ms per part between two snapshots. `roots` names the first process of each server part
 * (the postmaster, Dovecot's master): it and its descendants count to it. A process that ended
 * between the snapshots is counted from the first; one that started and ended in between only in
 * `elsewhere`.
 */
export function splitCpu(before: CpuSnapshot, after: CpuSnapshot, roots: { postgres?: number; dovecot?: number }): Record<CpuPart, number> & { dovecotBy: Map<string, number> } {
  const parent = new Map([...before.perPid, ...after.perPid].map(([pid, s]) => [pid, s.ppid]));
  const partOf = (pid: number): CpuPart | undefined => {
    for (let p: number | undefined = pid, depth = 0; p !== undefined && p > 1 && depth < 20; p = parent.get(p), depth++) {
      if (p === roots.postgres) return 'postgres';
      if (p === roots.dovecot) return 'dovecot';
      if (p === process.pid) return p === pid ? 'bench' : 'children';
    }
    return undefined;
  };
  const out: Record<CpuPart, number> = { bench: 0, children: 0, postgres: 0, dovecot: 0, elsewhere: 0 };
  // Dovecot's share by process name: imap (our fetches and moves), lmtp (the relay's deliveries), …
  const dovecotBy = new Map<string, number>();
  for (const [pid, end] of after.perPid) {
    const part = partOf(pid);
    if (!part) continue;
    const ms = end.ms - (before.perPid.get(pid)?.ms ?? 0);
    out[part] += ms;
    if (part === 'dovecot') dovecotBy.set(end.comm, (dovecotBy.get(end.comm) ?? 0) + ms);
  }
  const ours = out.bench + out.children + out.postgres + out.dovecot;
  out.elsewhere = Math.max(0, after.machineMs - before.machineMs - ours);
  return { ...out, dovecotBy };
}
