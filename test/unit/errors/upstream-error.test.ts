import { UpstreamError, withReasonFor } from '../../../src/errors/upstream-error';

const details = {
  service: 'keystone' as const,
  method: 'POST',
  path: '/auth/tokens',
  failure: 'status' as const,
  status: 404,
  requestId: 'req-1',
  detail: 'Could not recognize Fernet token',
};

describe('UpstreamError', () => {
  it('says what failed in its message, never the body', () => {
    const error = new UpstreamError(details);
    expect(error.message).toBe('keystone POST /auth/tokens failed: status 404');
    expect(error.name).toBe('UpstreamError');
    expect(error).toBeInstanceOf(Error);
    expect(String(error)).not.toContain('Fernet');
    expect(new UpstreamError({ ...details, status: undefined, failure: 'timeout' }).message).toBe(
      'keystone POST /auth/tokens failed: timeout',
    );
  });

  it('withReason keeps every field and adds the reason', () => {
    const original = new UpstreamError(details);
    const explained = original.withReason('token-unknown');
    expect(explained).toBeInstanceOf(UpstreamError);
    expect(explained).not.toBe(original);
    expect(explained).toMatchObject({ ...details, reason: 'token-unknown' });
    expect(explained.message).toBe(original.message);
    expect(original.reason).toBeUndefined();
  });

  it('withReasonFor names the reason only for the given statuses, and leaves anything else alone', () => {
    const error = new UpstreamError(details);
    expect((withReasonFor(error, [401, 404], 'token-unknown') as UpstreamError).reason).toBe('token-unknown');
    expect(withReasonFor(error, [401], 'token-unknown')).toBe(error);
    const plain = new Error('not an upstream failure');
    expect(withReasonFor(plain, [404], 'user-not-found')).toBe(plain);
  });

  it('hasStatus matches any of the given statuses, and never a failure without status', () => {
    const error = new UpstreamError(details);
    expect(error.hasStatus(401, 404)).toBe(true);
    expect(error.hasStatus(401)).toBe(false);
    expect(new UpstreamError({ ...details, status: undefined, failure: 'unreachable' }).hasStatus(404)).toBe(false);
  });
});
