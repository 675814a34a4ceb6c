/** The Keystone contract against the real Keystone at KEYSTONE_URL (`scripts/keystone.sh up`). */

import { describeWithRealKeystone } from '../support/real-keystone';
import { describeKeystoneContract } from './keystone.contract';

describeWithRealKeystone('the Keystone contract, against a real Keystone', (keystoneUrl) => {
  describeKeystoneContract(`real Keystone at ${keystoneUrl}`, () => ({ keystoneUrl }));
});
