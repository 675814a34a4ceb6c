/** The statistics of `npm run bench:compare`: two builds measured round by round, compared per round. */
import { percentile } from './latency-probe';
import { median } from './summary';

/** One round: each build's CPU per request (µs), measured back to back. */
export interface PairedRound {
  baseline: number;
  current: number;
}

export interface PairedSummary {
  rounds: number;
  baselineMedian: number;
  currentMedian: number;
  /** The median of the rounds' own differences, current − baseline (µs per request). */
  medianDifference: number;
  /** The middle half of those differences (nearest-rank 25th and 75th percentiles). */
  lowerQuartile: number;
  upperQuartile: number;
  /** Rounds in which the current build cost less. */
  currentCheaper: number;
}

/**
 * Differences are taken within each round and only then summarised: the machine's speed drifts
 * between rounds far more than two builds differ, and a round's two measurements share its speed.
 */
export function summarisePairs(rounds: readonly PairedRound[]): PairedSummary {
  const differences = rounds.map((round) => round.current - round.baseline).sort((a, b) => a - b);
  return {
    rounds: rounds.length,
    baselineMedian: median(rounds.map((round) => round.baseline)),
    currentMedian: median(rounds.map((round) => round.current)),
    medianDifference: median(differences),
    lowerQuartile: percentile(differences, 25),
    upperQuartile: percentile(differences, 75),
    currentCheaper: rounds.filter((round) => round.current < round.baseline).length,
  };
}
