import pino, { DestinationStream, Logger } from 'pino';

export type { Logger } from 'pino';

/**
 * Structured fields that could ever hold a secret. Log calls pass objects, never raw bodies
 * or variables; this list is the backstop should one slip through.
 */
const REDACTED_PATHS = [
  'token',
  'password',
  'secretKey',
  'secret_key',
  '*.token',
  '*.password',
  '*.secretKey',
  '*.secret_key',
  'headers["x-auth-token"]',
  'headers["x-subject-token"]',
  'headers.authorization',
  'headers.cookie',
  '*.headers["x-auth-token"]',
  '*.headers["x-subject-token"]',
  '*.headers.authorization',
  '*.headers.cookie',
  'variables',
  '*.variables',
];

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'soda-aksk-gateway' },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}
