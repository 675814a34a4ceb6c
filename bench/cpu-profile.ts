/** Reads a V8 `.cpuprofile` and ranks functions by self time. */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  /** Microseconds since the previous sample. */
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface SelfTime {
  function: string;
  location: string;
  selfMs: number;
  /** Share of all sampled time, idle included. */
  percent: number;
}

export interface PackageTime {
  /** `node_modules` package, `src/<folder>` of the gateway, `node core`, or `V8 / native`. */
  package: string;
  selfMs: number;
  percent: number;
}

export function topSelfTime(
  file: string,
  count: number,
  root: string,
): { totalMs: number; idleMs: number; top: SelfTime[]; byPackage: PackageTime[] } {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const byFunction = new Map<string, SelfTime>();
  const byPackage = new Map<string, number>();
  let totalUs = 0;
  let idleUs = 0;
  profile.samples.forEach((id, index) => {
    // A sample's time is the delta to the next sample.
    const us = profile.timeDeltas[index + 1] ?? 0;
    totalUs += us;
    const frame = nodes.get(id)?.callFrame;
    if (!frame) return;
    if (frame.functionName === '(idle)') idleUs += us;
    const group = packageOf(frame.url, frame.functionName);
    byPackage.set(group, (byPackage.get(group) ?? 0) + us);
    const location = frame.url ? `${shorten(frame.url, root)}:${frame.lineNumber + 1}` : '';
    const key = `${frame.functionName}@${location}`;
    const entry = byFunction.get(key) ?? { function: frame.functionName || '(anonymous)', location, selfMs: 0, percent: 0 };
    entry.selfMs += us / 1000;
    byFunction.set(key, entry);
  });
  const top = [...byFunction.values()]
    .sort((a, b) => b.selfMs - a.selfMs)
    .slice(0, count)
    .map((entry) => ({ ...entry, selfMs: round(entry.selfMs), percent: round((entry.selfMs * 100_000) / Math.max(totalUs, 1)) }));
  const packages = [...byPackage.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([name, us]) => ({ package: name, selfMs: round(us / 1000), percent: round((us * 100) / Math.max(totalUs, 1)) }));
  return { totalMs: round(totalUs / 1000), idleMs: round(idleUs / 1000), top, byPackage: packages };
}

function packageOf(url: string, functionName: string): string {
  // V8's own pseudo-frames: (idle), (garbage collector), (program), (root).
  if (!url && /^\(.*\)$/.test(functionName)) return functionName;
  if (!url) return 'native (syscalls, builtins)';
  if (url.startsWith('node:')) return 'node core';
  const modules = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (modules) return modules[1];
  const source = /\/dist-bench\/src\/([^/]+)\//.exec(url);
  if (source) return `gateway src/${source[1]}`;
  return url.replace(/^file:\/\//, '');
}

function shorten(url: string, root: string): string {
  const path = url.replace(/^file:\/\//, '');
  return path.startsWith(root) ? relative(root, path) : path;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
