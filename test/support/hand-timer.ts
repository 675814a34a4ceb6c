import { SweepTimer } from '../../src/services/expiry-sweeper';

/** A `SweepTimer` the test ticks by hand: `tick()` runs every scheduled job and awaits it. */
export interface HandTimer {
  timer: SweepTimer;
  tick(): Promise<unknown[]>;
  /** Jobs still scheduled (0 once their owner stopped). */
  scheduled(): number;
}

export function handTimer(): HandTimer {
  const runs: Array<() => Promise<unknown>> = [];
  return {
    timer: {
      every: (_intervalMs, run) => {
        runs.push(run);
        return { cancel: () => void runs.splice(runs.indexOf(run), 1) };
      },
    },
    tick: () => Promise.all(runs.map((run) => run())),
    scheduled: () => runs.length,
  };
}
