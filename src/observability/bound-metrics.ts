import { Metric, Registry } from 'prom-client';

type Labels = Record<string, string | number>;
/** One exported sample, as prom-client's registry formats it. */
interface Sample {
  metricName?: string;
  labels: Labels;
  value: number;
}

/**
 * A counter and a histogram whose label sets are bound once (`child(...)`) and then updated in
 * place. prom-client validates and hashes the labels on every update, even through `labels()`:
 * about 1 µs an update, several updates a request. Both register in a prom-client registry and
 * export as its own metrics do.
 */
abstract class BoundMetric<Child> {
  private readonly entries: Array<{ labels: Labels; child: Child }> = [];
  /**
   * Label value → the next label's map, the last label's value → its child. Label values are
   * mostly constants whose hashes V8 keeps; a key joined from them would be a new string to hash
   * on every update.
   */
  private byValue = new Map<string, unknown>();

  constructor(
    readonly name: string,
    readonly help: string,
    private readonly labelNames: readonly string[],
    registry: Registry,
  ) {
    // The registry reads `name`, `get()` and `reset()`; its types list only its own classes.
    registry.registerMetric(this as unknown as Metric);
  }

  abstract readonly type: 'counter' | 'histogram';

  /** The child for these label values, in `labelNames` order; made on first use. */
  child(...values: string[]): Child {
    let level = this.byValue;
    const last = values.length - 1;
    for (let index = 0; index < last; index++) {
      let next = level.get(values[index]) as Map<string, unknown> | undefined;
      if (!next) level.set(values[index], (next = new Map()));
      level = next;
    }
    let child = level.get(values[last]) as Child | undefined;
    if (!child) {
      const labels: Record<string, string> = {};
      this.labelNames.forEach((name, index) => (labels[name] = values[index]));
      child = this.createChild();
      this.entries.push({ labels, child });
      level.set(values[last], child);
    }
    return child;
  }

  reset(): void {
    this.entries.length = 0;
    this.byValue = new Map();
  }

  get(): Promise<{ name: string; help: string; type: string; values: Sample[]; aggregator: 'sum' }> {
    const values: Sample[] = [];
    for (const { labels, child } of this.entries) this.export(labels, child, values);
    return Promise.resolve({ name: this.name, help: this.help, type: this.type, values, aggregator: 'sum' });
  }

  protected abstract createChild(): Child;
  protected abstract export(labels: Labels, child: Child, values: Sample[]): void;
}

export class CounterChild {
  value = 0;

  inc(amount = 1): void {
    this.value += amount;
  }
}

export class BoundCounter extends BoundMetric<CounterChild> {
  readonly type = 'counter';

  protected createChild(): CounterChild {
    return new CounterChild();
  }

  protected export(labels: Labels, child: CounterChild, values: Sample[]): void {
    values.push({ labels, value: child.value });
  }
}

export class HistogramChild {
  sum = 0;
  count = 0;
  /** Observations per bucket (not cumulative), one more than bounds: the last is +Inf. */
  readonly counts: number[];

  constructor(private readonly bounds: readonly number[]) {
    this.counts = new Array<number>(bounds.length + 1).fill(0);
  }

  observe(value: number): void {
    const { bounds } = this;
    let index = 0;
    while (index < bounds.length && value > bounds[index]) index += 1;
    this.counts[index] += 1;
    this.sum += value;
    this.count += 1;
  }
}

export class BoundHistogram extends BoundMetric<HistogramChild> {
  readonly type = 'histogram';

  constructor(
    name: string,
    help: string,
    labelNames: readonly string[],
    private readonly buckets: readonly number[],
    registry: Registry,
  ) {
    super(name, help, labelNames, registry);
  }

  protected createChild(): HistogramChild {
    return new HistogramChild(this.buckets);
  }

  protected export(labels: Labels, child: HistogramChild, values: Sample[]): void {
    const bucketName = `${this.name}_bucket`;
    let cumulative = 0;
    this.buckets.forEach((bound, index) => {
      cumulative += child.counts[index];
      values.push({ metricName: bucketName, labels: { le: bound, ...labels }, value: cumulative });
    });
    values.push(
      { metricName: bucketName, labels: { le: '+Inf', ...labels }, value: child.count },
      { metricName: `${this.name}_sum`, labels, value: child.sum },
      { metricName: `${this.name}_count`, labels, value: child.count },
    );
  }
}
