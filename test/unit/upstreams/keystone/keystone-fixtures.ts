/** Keystone wire bodies as a real Keystone 22 sends them. */

/** A Fernet-looking token: about 180 opaque characters. */
export const FERNET_TOKEN = `gAAAAABp${'Q3xZ9k_7-Lm2'.repeat(14)}`;
export const OTHER_TOKEN = `gAAAAABq${'Wv8Rt1-Yb_5n'.repeat(14)}`;

export const ISSUED_AT = '2026-11-26T03:41:11.000000Z';
export const EXPIRES_AT = '2026-11-26T04:41:11.000000Z';

export const USER = { id: 'u-0001', name: 'alice', domain: { id: 'default', name: 'Default' }, password_expires_at: null };
export const PROJECT = { id: 'p-0001', name: 'demo', domain: { id: 'default', name: 'Default' } };

export function unscopedTokenBody(overrides: Record<string, unknown> = {}) {
  return {
    token: {
      methods: ['password'],
      user: USER,
      audit_ids: ['3T2dc1CGQxyJsHdDu1xkcw'],
      expires_at: EXPIRES_AT,
      issued_at: ISSUED_AT,
      ...overrides,
    },
  };
}

export function scopedTokenBody(overrides: Record<string, unknown> = {}) {
  return unscopedTokenBody({
    project: PROJECT,
    is_domain: false,
    roles: [
      { id: 'r-member', name: 'member' },
      { id: 'r-reader', name: 'reader' },
    ],
    ...overrides,
  });
}

export const UNAUTHORIZED_BODY = {
  error: { code: 401, message: 'The request you have made requires authentication.', title: 'Unauthorized' },
};

export const FERNET_UNKNOWN_BODY = {
  error: { code: 404, message: 'Could not recognize Fernet token', title: 'Not Found' },
};

export const FAILED_TO_VALIDATE_BODY = {
  error: { code: 404, message: 'Failed to validate token', title: 'Not Found' },
};

export const SERVER_ERROR_TEXT = 'A server error occurred.  Please contact the administrator.';
