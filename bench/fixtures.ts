/** Identities the stub serves and the benchmark asks for; one place so all three processes agree. */

export const PROJECT = { id: '7a1b2c3d4e5f60718293a4b5c6d7e8f9', name: 'bench', domain: { id: 'default', name: 'Default' } };
export const ADMIN = { id: '0f1e2d3c4b5a69788796a5b4c3d2e1f0', name: 'admin', domain: { id: 'default', name: 'Default' } };
/** The user whose pairs `akSk(userId)` lists and `createAkSk` adds to. */
export const TARGET_USER_ID = '11112222333344445555666677778888';
/** Any string works: the stub validates every token as the admin's project-scoped one. */
export const CALLER_TOKEN = 'gAAAAABbenchmarkCallerTokenNotASecret';
export const LOGIN_PASSWORD = 'bench-password';
/** Users in `GET /v3/users`, each listed with its pairs by `users { akSks }`. */
export const DIRECTORY_SIZE = 50;
/** Pairs per user in `GET /v1/{project}/aksks/{user}`: non-empty, so `akSk` needs no "why empty?" lookup. */
export const PAIRS_PER_USER = 2;

export function userIdOf(index: number): string {
  return index.toString(16).padStart(32, '0');
}

/** The pair `akSk(userId), signed` is signed with; the stub's ec2tokens accepts any signature. */
export const BENCH_PAIR = { accessKey: 'BENCHACCESSKEY01', secretKey: 'bench-secret-not-a-real-secret00' };
/** The service user the gateway logs in as to check signatures (the stub accepts any password). */
export const SERVICE_ENV = {
  KEYSTONE_SERVICE_USERNAME: 'aksk-service',
  KEYSTONE_SERVICE_PASSWORD: 'bench-service-password',
  KEYSTONE_SERVICE_PROJECT: 'service',
};
