/** Public surface of the Keystone emulator. */

export { createKeystoneEmulator } from './keystone-emulator';
export type { KeystoneEmulator, KeystoneEmulatorOptions } from './keystone-emulator';
export { startKeystoneEmulator } from './start-keystone-emulator';
export type { RunningKeystoneEmulator, StartKeystoneEmulatorOptions } from './start-keystone-emulator';
export { IdentityStore } from './identity-store';
export type { CredentialRecord, TokenLookup, TokenRecord, UserRecord, ProjectRecord } from './identity-store';
