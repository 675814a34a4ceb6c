/**
 * The Keystone contract against a real Keystone at KEYSTONE_URL (`scripts/keystone.sh up`
 * starts one). In CI a missing KEYSTONE_URL is a failure, never a silent skip.
 */

import { describeKeystoneContract } from './keystone.contract';

const keystoneUrl = process.env.KEYSTONE_URL;

if (keystoneUrl) {
  describeKeystoneContract(`real Keystone at ${keystoneUrl}`, () => ({ keystoneUrl }));
} else if (process.env.CI) {
  test('KEYSTONE_URL names the real Keystone to check the contract against', () => {
    throw new Error('KEYSTONE_URL is not set: start one with `scripts/keystone.sh up` and export the URL it prints');
  });
} else {
  console.warn(
    '\n*** SKIPPING the real-Keystone contract: KEYSTONE_URL is not set. ***\n' +
      '*** Run `scripts/keystone.sh up` and set KEYSTONE_URL=http://127.0.0.1:15000/v3 to check it. ***\n',
  );
  test.skip('real Keystone contract (KEYSTONE_URL not set)', () => undefined);
}
