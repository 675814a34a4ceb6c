import { ErrorCode } from '../../../src/errors/error-code';
import { UpstreamError } from '../../../src/upstreams/upstream-error';

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

  it('withMeaning keeps every field and adds the meaning', () => {
    const meaning = { code: ErrorCode.Unauthenticated, message: 'The token is unknown, expired or revoked.' };
    const original = new UpstreamError(details);
    const explained = original.withMeaning(meaning);
    expect(explained).toBeInstanceOf(UpstreamError);
    expect(explained).not.toBe(original);
    expect(explained).toMatchObject({ ...details, meaning });
    expect(explained.message).toBe(original.message);
    expect(original.meaning).toBeUndefined();
  });

  it('hasStatus matches any of the given statuses, and never a failure without status', () => {
    const error = new UpstreamError(details);
    expect(error.hasStatus(401, 404)).toBe(true);
    expect(error.hasStatus(401)).toBe(false);
    expect(new UpstreamError({ ...details, status: undefined, failure: 'unreachable' }).hasStatus(404)).toBe(false);
  });
});
