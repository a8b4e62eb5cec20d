/**
 * Where a process spent its CPU, from a V8 `.cpuprofile` (`node --cpu-prof`): self time grouped
 * by package (or by the engine's own top-level folder), and the hottest functions.
 *
 *   BENCH_WORKER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" BENCH_RECORDS=20000 npm run bench -- polling-sync
 *   node dist/bench/profile-summary.js /tmp/prof/<the worker's file>.cpuprofile [--after <seconds>]
 *
 * `--after`: only samples taken that many seconds after the profile began, so a process's start-up
 * (module loading, bundling) does not hide where its steady work goes.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** `node_modules/@scope/name/...` → `@scope/name`; our own files → their top-level folder. */
function ownerOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (modules) return modules[1]!;
  if (url.startsWith('node:')) return 'node:' + url.slice(5).split('/')[0];
  const ours = /\/dist\/([^/]+)\//.exec(url);
  return ours ? `engine:${ours[1]}` : url.replace(/^file:\/\//, '');
}

function summarise(profile: CpuProfile, afterMs: number): void {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfMs = new Map<number, number>();
  let at = 0; // µs since the profile began
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    at += delta;
    if (at >= afterMs * 1000) selfMs.set(id, (selfMs.get(id) ?? 0) + delta / 1000);
  });
  const total = [...selfMs.values()].reduce((a, b) => a + b, 0);

  const byOwner = new Map<string, number>();
  const byFunction = new Map<string, number>();
  for (const [id, ms] of selfMs) {
    const { callFrame } = byId.get(id)!;
    const owner = ownerOf(callFrame.url, callFrame.functionName);
    byOwner.set(owner, (byOwner.get(owner) ?? 0) + ms);
    const fn = `${callFrame.functionName || '(anonymous)'} ${owner}:${callFrame.lineNumber + 1}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + ms);
  }
  const top = (map: Map<string, number>, n: number) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([name, ms]) => ({ name, ms: Math.round(ms), share: `${((ms / total) * 100).toFixed(1)}%` }));

  console.log(`wall ${((profile.endTime - profile.startTime) / 1e6).toFixed(1)} s, sampled ${(total / 1000).toFixed(1)} s`);
  console.table(top(byOwner, 15));
  console.table(top(byFunction, 20));
}

const [file, flag, seconds] = process.argv.slice(2);
const afterMs = flag === '--after' ? Number(seconds) * 1000 : 0;
if (!file || (flag !== undefined && !(afterMs >= 0))) {
  console.error('usage: node dist/bench/profile-summary.js <file.cpuprofile> [--after <seconds>]');
  process.exit(2);
}
summarise(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, afterMs);
