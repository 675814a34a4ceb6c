import { auditLogs } from './log-audit';

/**
 * Fails the run when any gateway log line holds a secret a test used. A full run
 * (`LOG_AUDIT_REQUIRED=1`, set by scripts/test.sh) must also have audited something, so the
 * check cannot pass by seeing nothing.
 */
export default function globalTeardown(): void {
  const { lines, secrets, leaks } = auditLogs();
  if (leaks.length > 0) {
    throw new Error(`Secrets leaked into ${leaks.length} gateway log line(s):\n${leaks.slice(0, 20).join('\n')}`);
  }
  if (process.env.LOG_AUDIT_REQUIRED === '1' && (lines === 0 || secrets === 0)) {
    throw new Error('The log audit saw no log lines or no secrets: it proved nothing.');
  }
  process.stdout.write(`\nLog audit: ${lines} gateway log lines, ${secrets} secrets, no leak.\n`);
}
