import { randomInt } from 'node:crypto';
import { Ec2Keys } from './credentials.types';

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** Access key length and secret key length of SODA's AK/SK pairs. */
export const ACCESS_KEY_LENGTH = 16;
export const SECRET_KEY_LENGTH = 32;

/**
 * A new pair in SODA's shape (16 and 32 characters of [0-9a-zA-Z]), from a CSPRNG: the
 * multicloud service's own generator is not cryptographically secure.
 */
export function generateAkSkKeys(): Ec2Keys {
  return { access: randomString(ACCESS_KEY_LENGTH), secret: randomString(SECRET_KEY_LENGTH) };
}

function randomString(length: number): string {
  let result = '';
  for (let index = 0; index < length; index += 1) result += ALPHABET[randomInt(ALPHABET.length)];
  return result;
}
