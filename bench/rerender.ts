/**
 * Re-renders `bench/results/latest.md` (and `.json`) from the samples a run recorded, with the
 * current summary and targets: for a change to the report, without re-running the bench.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { BenchReport, evaluateTargets, renderMarkdown } from './report';
import { summarise } from './summary';

const RESULTS = join(resolve(__dirname, '..', '..'), 'bench', 'results');

const report = JSON.parse(readFileSync(join(RESULTS, 'latest.json'), 'utf8')) as BenchReport;
for (const op of report.operations) {
  if (!op.unavailable) op.columns = summarise(op.samples);
}
report.targets = evaluateTargets(report);
writeFileSync(join(RESULTS, 'latest.json'), `${JSON.stringify(report, null, 2)}\n`);
writeFileSync(join(RESULTS, 'latest.md'), renderMarkdown(report));
process.stderr.write(`re-rendered ${join('bench', 'results', 'latest.md')} from the samples of ${report.meta.startedAt}\n`);
