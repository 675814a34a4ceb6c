import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Every log line any gateway writes during the whole test run, and every secret the tests
 * saw (passwords sent, tokens and secret keys received), go to files here; the global
 * teardown then checks that no line holds any secret. Redaction is proven on the suite's
 * whole output, not on a few chosen lines.
 */
const AUDIT_ROOT = join(__dirname, '../../test-output/log-audit');

/** One folder per jest run (set by the global setup), so concurrent runs never mix. */
const auditDir = () => process.env.LOG_AUDIT_DIR ?? join(AUDIT_ROOT, 'adhoc');
const logFile = () => join(auditDir(), `gateway-${process.pid}.jsonl`);
const secretsFile = () => join(auditDir(), `secrets-${process.pid}.txt`);

export function recordLogLine(line: string): void {
  ensureDir();
  appendFileSync(logFile(), line.endsWith('\n') ? line : `${line}\n`);
}

export function recordSecrets(secrets: Iterable<string | null | undefined>): void {
  const worthy = [...secrets].filter((secret): secret is string => typeof secret === 'string' && secret.length >= 6);
  if (worthy.length === 0) return;
  ensureDir();
  appendFileSync(secretsFile(), worthy.map((secret) => `${JSON.stringify(secret)}\n`).join(''));
}

/** Secrets in a GraphQL exchange: passwords sent, tokens and secret keys received. */
export function secretsIn(variables: unknown, data: unknown): string[] {
  const found: string[] = [];
  const walk = (value: unknown, keys: readonly string[]) => {
    if (Array.isArray(value)) value.forEach((item) => walk(item, keys));
    else if (value && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) {
        if (keys.includes(key) && typeof inner === 'string') found.push(inner);
        else walk(inner, keys);
      }
    }
  };
  walk(variables, ['password']);
  walk(data, ['token', 'secretKey']);
  return found;
}

/** Starts this run's folder; workers inherit the variable. */
export function startAudit(): void {
  const dir = join(AUDIT_ROOT, `run-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  process.env.LOG_AUDIT_DIR = dir;
}

export function auditLogs(): { lines: number; secrets: number; leaks: string[] } {
  const dir = auditDir();
  if (!existsSync(dir)) return { lines: 0, secrets: 0, leaks: [] };
  const files = readdirSync(dir);
  const secrets = new Set<string>();
  for (const file of files.filter((name) => name.startsWith('secrets-'))) {
    for (const line of readFileSync(join(dir, file), 'utf8').split('\n')) if (line) secrets.add(JSON.parse(line));
  }
  let lines = 0;
  const leaks: string[] = [];
  for (const file of files.filter((name) => name.startsWith('gateway-'))) {
    for (const line of readFileSync(join(dir, file), 'utf8').split('\n')) {
      if (!line) continue;
      lines += 1;
      for (const secret of secrets) {
        if (line.includes(secret)) leaks.push(`${file}: a secret of ${secret.length} characters in ${line.slice(0, 120)}…`);
      }
    }
  }
  return { lines, secrets: secrets.size, leaks };
}

function ensureDir(): void {
  if (!existsSync(auditDir())) mkdirSync(auditDir(), { recursive: true });
}
