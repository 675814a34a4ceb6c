/**
 * CPU and memory of the runner's children and of the runner itself, read from Linux's `/proc`
 * every `intervalMs` while a phase runs.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

let ticksPerSecond: number | undefined;

function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** User + system CPU seconds the process has used (clock-tick resolution). */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The fields after the command name, which is in parentheses and may hold spaces; utime and
  // stime are fields 14 and 15 of stat(5), and `fields` starts at field 3.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / clockTicks();
}

function memoryKiB(pid: number): { rss: number; hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const read = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
  return { rss: read('VmRSS'), hwm: read('VmHWM') };
}

/** CPU seconds the whole machine spent busy (every core, every process) since boot. */
function machineBusySeconds(): number {
  const [user, nice, system, , , irq, softirq, steal] = readFileSync('/proc/stat', 'utf8')
    .split('\n')[0]
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  return (user + nice + system + irq + softirq + (steal || 0)) / clockTicks();
}

export interface ProcessUsage {
  /** Average cores used over the window. */
  cpuCores: number;
  cpuSeconds: number;
  rssStartMiB: number;
  rssEndMiB: number;
  /** Highest RSS sampled in the window. */
  rssMaxSampledMiB: number;
  /** The kernel's peak RSS over the process's whole life (`VmHWM`), startup included. */
  peakRssMiB: number;
}

export interface UsageReport {
  wallSeconds: number;
  processes: Record<string, ProcessUsage>;
  /** Cores the rest of the machine used meanwhile: noise from other work on the same 2 cores. */
  otherCores: number;
}

interface Track {
  pid: number;
  cpuStart: number;
  rssStart: number;
  rssMax: number;
}

/** Samples the given pids (and this process, as `self`) from `start()` to `stop()`. */
export class ProcessSampler {
  private readonly tracks = new Map<string, Track>();
  private timer: NodeJS.Timeout | undefined;
  private startedAt = 0;
  private machineStart = 0;

  constructor(
    private readonly pids: Record<string, number>,
    private readonly intervalMs = 200,
  ) {}

  start(): void {
    this.startedAt = performance.now();
    this.machineStart = machineBusySeconds();
    for (const [name, pid] of Object.entries({ ...this.pids, 'load generator': process.pid })) {
      const { rss } = memoryKiB(pid);
      this.tracks.set(name, { pid, cpuStart: cpuSeconds(pid), rssStart: rss, rssMax: rss });
    }
    this.timer = setInterval(() => this.sample(), this.intervalMs);
    this.timer.unref();
  }

  stop(): UsageReport {
    clearInterval(this.timer);
    this.sample();
    const wallSeconds = (performance.now() - this.startedAt) / 1000;
    const processes: Record<string, ProcessUsage> = {};
    let ours = 0;
    for (const [name, track] of this.tracks) {
      const used = cpuSeconds(track.pid) - track.cpuStart;
      ours += used;
      const { rss, hwm } = memoryKiB(track.pid);
      processes[name] = {
        cpuCores: used / wallSeconds,
        cpuSeconds: used,
        rssStartMiB: track.rssStart / 1024,
        rssEndMiB: rss / 1024,
        rssMaxSampledMiB: Math.max(track.rssMax, rss) / 1024,
        peakRssMiB: hwm / 1024,
      };
    }
    const otherCores = Math.max(0, machineBusySeconds() - this.machineStart - ours) / wallSeconds;
    return { wallSeconds, processes, otherCores };
  }

  private sample(): void {
    for (const track of this.tracks.values()) {
      try {
        track.rssMax = Math.max(track.rssMax, memoryKiB(track.pid).rss);
      } catch {
        // The process is gone; the report will fail on it loudly.
      }
    }
  }
}
