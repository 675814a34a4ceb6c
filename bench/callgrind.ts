/**
 * Reading what valgrind's callgrind wrote for `npm run bench:instructions`: the instruction total
 * of a dump, names for the code V8 compiled at run time, and a flat profile per function.
 * Instructions, unlike seconds, do not move with what else the machine is doing.
 */

/** The instructions a callgrind dump counted (its `totals:` line; `summary:` when that is missing). */
export function totalInstructions(dump: string): number {
  const line = /^totals:\s+(\d+)/m.exec(dump) ?? /^summary:\s+(\d+)/m.exec(dump);
  if (!line) throw new Error('not a callgrind dump: it has no totals line');
  return Number(line[1]);
}

interface CodeRange {
  start: number;
  end: number;
  name: string;
}

/** `start size name` lines of a V8 perf map (`node --perf-basic-prof`), sorted by start. */
export function parsePerfMap(map: string): CodeRange[] {
  const ranges: CodeRange[] = [];
  for (const line of map.split('\n')) {
    const match = /^([0-9a-f]+) ([0-9a-f]+) (.+)$/.exec(line);
    if (!match) continue;
    const start = parseInt(match[1], 16);
    ranges.push({ start, end: start + parseInt(match[2], 16), name: match[3].replace(/\s+/g, '_') });
  }
  return ranges.sort((a, b) => a.start - b.start);
}

function nameAt(ranges: readonly CodeRange[], address: number): string | undefined {
  let low = 0;
  let high = ranges.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (ranges[middle].start > address) high = middle - 1;
    else if (ranges[middle].end <= address) low = middle + 1;
    else return ranges[middle].name;
  }
  return undefined;
}

/**
 * The dump with callgrind's bare addresses for JIT-compiled code (`fn=(12) 0x00003cb0a338d040`)
 * replaced by the V8 function each falls in, so a profile reads `JS:*handle /…/router.js:18:12`.
 */
export function nameCompiledCode(dump: string, perfMap: string): string {
  const ranges = parsePerfMap(perfMap);
  return dump.replace(/^(c?fn=\(\d+\)) 0x([0-9a-f]+)$/gm, (line, prefix: string, hex: string) => {
    const name = nameAt(ranges, parseInt(hex, 16));
    return name ? `${prefix} ${name}` : line;
  });
}

/**
 * Self instructions per function from `callgrind_annotate`'s listing. V8's tier marks (`*` for
 * optimised code, `^` baseline, `~` interpreted) and addresses are dropped, so the same
 * function in two processes (or two tiers) is one row.
 */
export function parseFlatProfile(annotated: string): Map<string, number> {
  const profile = new Map<string, number>();
  for (const line of annotated.split('\n')) {
    const match = /^\s*([\d,]+) \(\s*[\d.]+%\)\s+(.+?)\s*$/.exec(line);
    if (!match || match[2] === 'PROGRAM TOTALS') continue;
    const name = match[2]
      .replace(/\s*\[[^\]]*\]$/, '')
      .replace(/^\?\?\?:/, '')
      .replace(/^JS:[*^~+]/, 'JS:')
      .replace(/0x[0-9a-f]+/g, '0x…');
    profile.set(name, (profile.get(name) ?? 0) + Number(match[1].replace(/,/g, '')));
  }
  return profile;
}

export interface ProfileDifference {
  name: string;
  /** Instructions per request. */
  reference: number;
  target: number;
}

/** The functions where `target` spends the most instructions per request beyond `reference`. */
export function largestDifferences(
  reference: Map<string, number>,
  target: Map<string, number>,
  requests: number,
  count: number,
): ProfileDifference[] {
  const names = new Set([...reference.keys(), ...target.keys()]);
  return [...names]
    .map((name) => ({ name, reference: (reference.get(name) ?? 0) / requests, target: (target.get(name) ?? 0) / requests }))
    .sort((a, b) => b.target - b.reference - (a.target - a.reference))
    .slice(0, count);
}
