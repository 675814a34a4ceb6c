import { summarisePairs } from '../../bench/paired';

describe('summarisePairs', () => {
  it('takes the difference within each round: the machine changing speed between rounds does not blur it', () => {
    // The machine doubles its speed halfway; within every round the working tree costs 10 µs less.
    const rounds = [
      { baseline: 200, current: 190 },
      { baseline: 210, current: 200 },
      { baseline: 100, current: 90 },
      { baseline: 105, current: 95 },
    ];
    expect(summarisePairs(rounds)).toEqual({
      rounds: 4,
      baselineMedian: 152.5,
      currentMedian: 142.5,
      medianDifference: -10,
      lowerQuartile: -10,
      upperQuartile: -10,
      currentCheaper: 4,
    });
  });

  it('gives the middle half of the differences and counts the rounds the working tree won', () => {
    const differences = [12, -3, 5, 0, 7, -8, 2, 4];
    const rounds = differences.map((difference) => ({ baseline: 100, current: 100 + difference }));
    const summary = summarisePairs(rounds);
    // Sorted: -8 -3 0 2 4 5 7 12.
    expect(summary.medianDifference).toBe(3);
    expect(summary.lowerQuartile).toBe(-3);
    expect(summary.upperQuartile).toBe(5);
    expect(summary.currentCheaper).toBe(2);
  });
});
