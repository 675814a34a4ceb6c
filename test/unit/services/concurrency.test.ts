import { mapWithConcurrency } from '../../../src/services/concurrency';

describe('mapWithConcurrency', () => {
  it('never has more than the limit in flight, starts the next as one ends, and keeps the order', async () => {
    const items = [5, 1, 4, 2, 3, 0, 6, 2];
    const gates = items.map(() => {
      let resolve!: () => void;
      const promise = new Promise<void>((done) => (resolve = done));
      return { promise, resolve };
    });
    const started: number[] = [];
    let inFlight = 0;
    let peak = 0;
    const run = mapWithConcurrency(
      items.map((value, index) => ({ value, index })),
      3,
      async ({ value, index }) => {
        started.push(index);
        inFlight += 1;
        peak = Math.max(peak, inFlight);
        await gates[index].promise;
        inFlight -= 1;
        return value * 10;
      },
    );
    const turn = () => new Promise((resolve) => setImmediate(resolve));
    await turn();
    expect(started).toEqual([0, 1, 2]);
    // The second finishes first: its slot goes to the fourth item, the others keep waiting.
    gates[1].resolve();
    await turn();
    expect(started).toEqual([0, 1, 2, 3]);
    for (const index of [7, 6, 5, 4, 3, 2, 0]) gates[index].resolve();
    const results = await run;
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
