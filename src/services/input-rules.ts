import { badUserInput } from '../errors/gateway-error';

/**
 * Checks on client input, run before any upstream call. Ids become URL path segments, so they
 * are held to a strict alphabet; names and passwords only lose control characters.
 */

const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$/;
// C0/C1 control characters, plus the Unicode line and paragraph separators: matching them is the point.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
const MAX_NAME_LENGTH = 255;
const MAX_PASSWORD_LENGTH = 4096;

export function checkId(field: string, value: string): string {
  if (!ID_PATTERN.test(value)) {
    throw badUserInput(`${field} must be 1-64 characters: letters, digits and _ . @ - (not starting with a symbol).`);
  }
  return value;
}

export function checkOptionalId(field: string, value: string | null | undefined): string | undefined {
  return value === null || value === undefined ? undefined : checkId(field, value);
}

/** Access keys: SODA's are 16 alphanumerics, OpenStack's EC2 ones 32 hex digits. */
export function checkAccessKey(value: string): string {
  if (!/^[A-Za-z0-9]{1,128}$/.test(value)) throw badUserInput('accessKey must be 1-128 letters and digits.');
  return value;
}

export function checkName(field: string, value: string): string {
  if (value.length === 0 || value.length > MAX_NAME_LENGTH || CONTROL_CHARACTERS.test(value)) {
    throw badUserInput(`${field} must be 1-${MAX_NAME_LENGTH} characters without control characters.`);
  }
  return value;
}

export function checkPassword(value: string): string {
  if (value.length === 0 || value.length > MAX_PASSWORD_LENGTH) {
    throw badUserInput(`password must be 1-${MAX_PASSWORD_LENGTH} characters.`);
  }
  return value;
}

/** Exactly one of two alternatives, e.g. `projectName` or `projectId`. */
export function exactlyOne<A, B>(names: [string, string], first: A | null | undefined, second: B | null | undefined): void {
  const given = [first, second].filter((value) => value !== null && value !== undefined).length;
  if (given !== 1) throw badUserInput(`Give exactly one of ${names[0]} and ${names[1]}.`);
}
