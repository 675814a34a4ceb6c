import { mapWithConcurrency } from '../../../src/services/concurrency';

describe('mapWithConcurrency', () => {
  it('never has more than the limit in flight, and keeps the order', async () => {
    let inFlight = 0;
    let peak = 0;
    const results = await mapWithConcurrency([5, 1, 4, 2, 3, 0, 6, 2], 3, async (delay) => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      await new Promise((resolve) => setTimeout(resolve, delay));
      inFlight -= 1;
      return delay * 10;
    });
    expect(peak).toBe(3);
    expect(results).toEqual([50, 10, 40, 20, 30, 0, 60, 20]);
  });

  it('returns a failure in its slot without stopping the others', async () => {
    const results = await mapWithConcurrency([1, 2, 3], 2, async (value) => {
      if (value === 2) throw new Error('two failed');
      return value;
    });
    expect(results[0]).toBe(1);
    expect(results[1]).toEqual(new Error('two failed'));
    expect(results[2]).toBe(3);
  });
});
