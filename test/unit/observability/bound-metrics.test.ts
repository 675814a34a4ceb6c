import { Counter, Histogram, Registry } from 'prom-client';
import { BoundCounter, BoundHistogram } from '../../../src/observability/bound-metrics';

const BUCKETS = [0.001, 0.01, 0.1, 1];
const OBSERVATIONS: Array<[string, string, number]> = [
  ['keystone', 'GET', 0.0004],
  ['keystone', 'GET', 0.001],
  ['keystone', 'GET', 0.05],
  ['multicloud', 'POST', 3],
  ['keystone', 'GET', 0.5],
  ['multicloud', 'POST', 0.01],
];

/** The same metrics through prom-client's own classes, in a registry of their own. */
function promClientExport(): Promise<string> {
  const registry = new Registry();
  const histogram = new Histogram({
    name: 'h_seconds',
    help: 'Latency "by" route.',
    labelNames: ['service', 'method'],
    buckets: BUCKETS,
    registers: [registry],
  });
  const counter = new Counter({ name: 'c_total', help: 'Calls.', labelNames: ['service', 'method'], registers: [registry] });
  for (const [service, method, value] of OBSERVATIONS) {
    histogram.labels(service, method).observe(value);
    counter.labels(service, method).inc();
  }
  return registry.metrics();
}

function boundExport(): { registry: Registry; histogram: BoundHistogram; counter: BoundCounter } {
  const registry = new Registry();
  const histogram = new BoundHistogram('h_seconds', 'Latency "by" route.', ['service', 'method'], BUCKETS, registry);
  const counter = new BoundCounter('c_total', 'Calls.', ['service', 'method'], registry);
  for (const [service, method, value] of OBSERVATIONS) {
    histogram.child(service, method).observe(value);
    counter.child(service, method).inc();
  }
  return { registry, histogram, counter };
}

describe('BoundCounter and BoundHistogram', () => {
  it("export exactly what prom-client's Counter and Histogram export for the same updates", async () => {
    const { registry } = boundExport();
    const exported = await registry.metrics();
    expect(exported).toBe(await promClientExport());
    expect(exported).toContain('h_seconds_bucket{le="0.001",service="keystone",method="GET"} 2');
    expect(exported).toContain('h_seconds_bucket{le="+Inf",service="multicloud",method="POST"} 2');
    expect(exported).toContain('c_total{service="keystone",method="GET"} 4');
  });

  it('hands out one child per label set', () => {
    const { histogram, counter } = boundExport();
    expect(histogram.child('keystone', 'GET')).toBe(histogram.child('keystone', 'GET'));
    expect(histogram.child('keystone', 'GET')).not.toBe(histogram.child('keystone', 'POST'));
    expect(counter.child('keystone', 'GET').value).toBe(4);
  });

  it('starts again from nothing after a registry reset', async () => {
    const { registry } = boundExport();
    registry.resetMetrics();
    expect(await registry.metrics()).toBe(
      '# HELP h_seconds Latency "by" route.\n# TYPE h_seconds histogram\n\n# HELP c_total Calls.\n# TYPE c_total counter\n',
    );
  });

  it('refuses a second metric of the same name in one registry', () => {
    const { registry } = boundExport();
    expect(() => new BoundCounter('c_total', 'Again.', [], registry)).toThrow(/already been registered/);
  });
});
