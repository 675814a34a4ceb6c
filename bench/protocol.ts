/** Messages between the runner and its child processes (over the `fork` IPC channel). */

export interface ChildReady {
  type: 'ready';
  /** Where the child listens; for the stub also `keystoneUrl`, `multicloudUrl` and `control`. */
  urls: Record<string, string>;
}

export type ParentCommand =
  | { type: 'stop' }
  /** Gateway child only: start / stop the V8 CPU profiler and write the profile to `file`. */
  | { type: 'profile-start' }
  | { type: 'profile-stop'; file: string };

export interface ChildAck {
  type: 'ack';
  command: ParentCommand['type'];
  error?: string;
}

export interface StubStats {
  delayMs: number;
  /** Calls per route name, e.g. `multicloud.listAkSks`, since the last reset. */
  counts: Record<string, number>;
  cpu: NodeJS.CpuUsage;
}

export function isParentCommand(value: unknown): value is ParentCommand {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}
