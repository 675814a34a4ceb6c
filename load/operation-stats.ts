/** Per-operation counts, failures by code and latency samples (ms, sub-millisecond resolution). */

export interface OperationSummary {
  operation: string;
  count: number;
  errors: number;
  errorsByCode: Record<string, number>;
  meanMs: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

interface Entry {
  latencies: number[];
  errorsByCode: Map<string, number>;
}

export class OperationStats {
  private readonly entries = new Map<string, Entry>();

  constructor(order: readonly string[] = []) {
    for (const operation of order) this.entry(operation);
  }

  /** Every answered or failed request, once. */
  record(operation: string, latencyMs: number): void {
    this.entry(operation).latencies.push(latencyMs);
  }

  /** A request already `record`ed that failed. */
  fail(operation: string, code: string): void {
    const errors = this.entry(operation).errorsByCode;
    errors.set(code, (errors.get(code) ?? 0) + 1);
  }

  summaries(): OperationSummary[] {
    const rows = [...this.entries].map(([operation, entry]) => summarise(operation, entry.latencies, entry.errorsByCode));
    const all = [...this.entries.values()];
    const allErrors = new Map<string, number>();
    for (const entry of all)
      for (const [code, count] of entry.errorsByCode) allErrors.set(code, (allErrors.get(code) ?? 0) + count);
    rows.push(
      summarise(
        'all',
        all.flatMap((entry) => entry.latencies),
        allErrors,
      ),
    );
    return rows;
  }

  private entry(operation: string): Entry {
    let entry = this.entries.get(operation);
    if (!entry) this.entries.set(operation, (entry = { latencies: [], errorsByCode: new Map() }));
    return entry;
  }
}

function summarise(operation: string, latencies: number[], errorsByCode: Map<string, number>): OperationSummary {
  const sorted = Float64Array.from(latencies).sort();
  return {
    operation,
    count: sorted.length,
    errors: [...errorsByCode.values()].reduce((sum, count) => sum + count, 0),
    errorsByCode: Object.fromEntries([...errorsByCode].sort((a, b) => b[1] - a[1])),
    meanMs: sorted.length ? sorted.reduce((sum, value) => sum + value, 0) / sorted.length : NaN,
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
    maxMs: sorted.length ? sorted[sorted.length - 1] : NaN,
  };
}

/** Nearest rank: the smallest sample with at least `q` of the samples at or below it. */
export function percentile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}
