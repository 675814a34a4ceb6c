/**
 * Last-line-of-defence scrubbing for text that came from outside (upstream error bodies):
 * Keystone may echo a request back, and tokens, passwords and secret keys must never reach a
 * log line or a client. Structured log fields are redacted by name in `logger.ts` instead.
 */
// Keystone echoes requests as JSON or in Python notation (`'password': '...'`).
const PASSWORD_ASSIGNMENT =
  /(["']?(?:password|secret(?:_key)?|token)["']?\s*[:=]\s*)("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|[^\s,}]+)/gi;
// Fernet tokens (~180 chars) and secret keys (32 chars) are long unbroken runs; ids are too,
// which costs a little detail in logs but never leaks a credential.
const LONG_OPAQUE_RUN = /[A-Za-z0-9_\-+/=]{32,}/g;

export const REDACTED = '[redacted]';

export function redactSecrets(text: string): string {
  return text.replace(PASSWORD_ASSIGNMENT, `$1"${REDACTED}"`).replace(LONG_OPAQUE_RUN, REDACTED);
}

/** A short, single-line, redacted excerpt of an upstream body for logs. */
export function safeExcerpt(text: string, maxLength = 200): string {
  const oneLine = redactSecrets(text).replace(/\s+/g, ' ').trim();
  return oneLine.length > maxLength ? `${oneLine.slice(0, maxLength)}…` : oneLine;
}
