/**
 * CPU time (user + system) of process trees, from /proc: a side's cost is every process it runs
 * (engine: the dev server, the worker, the API; n8n: main, worker, Redis, PostgreSQL).
 */
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

interface Stat {
  pid: number;
  ppid: number;
  cpuMs: number;
  /** The program, told apart from its siblings: `temporal`, `worker/main.js`, `postgres`. */
  label: string;
}

function labelOf(pid: number, comm: string): string {
  try {
    const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    const script = args.slice(1).find((arg) => arg.endsWith('.js'));
    return script ? script.split('/').slice(-2).join('/') : comm;
  } catch {
    return comm;
  }
}

function statOf(pid: number): Stat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may hold spaces: the fields after its last ')' are fixed.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    const comm = text.slice(text.indexOf('(') + 1, text.lastIndexOf(')'));
    return { pid, ppid: Number(fields[1]), cpuMs: ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND, label: labelOf(pid, comm) };
  } catch {
    return undefined; // gone meanwhile
  }
}

/** CPU milliseconds used so far by `roots` and every process below them. */
export function treeCpuMs(roots: number[]): number {
  return [...treeCpuByProgram(roots).values()].reduce((sum, ms) => sum + ms, 0);
}

/** The same, per program (see Stat.label): where a side's CPU goes. */
export function treeCpuByProgram(roots: number[]): Map<string, number> {
  const stats = readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map((name) => statOf(Number(name)))
    .filter((stat): stat is Stat => stat !== undefined);
  const children = new Map<number, Stat[]>();
  for (const stat of stats) children.set(stat.ppid, [...(children.get(stat.ppid) ?? []), stat]);
  const byPid = new Map(stats.map((stat) => [stat.pid, stat]));
  const byProgram = new Map<string, number>();
  const seen = new Set<number>();
  const walk = (pid: number) => {
    if (seen.has(pid)) return;
    seen.add(pid);
    const stat = byPid.get(pid);
    if (stat) byProgram.set(stat.label, (byProgram.get(stat.label) ?? 0) + stat.cpuMs);
    for (const child of children.get(pid) ?? []) walk(child.pid);
  };
  for (const root of roots) walk(root);
  return byProgram;
}
