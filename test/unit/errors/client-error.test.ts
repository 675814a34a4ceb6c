import { GraphQLError } from 'graphql';
import { failureFor, toClientError, toHttpError } from '../../../src/errors/client-error';
import { ErrorCode } from '../../../src/errors/error-code';
import { badUserInput, GatewayError, unauthenticated } from '../../../src/errors/gateway-error';
import { UpstreamError, UpstreamErrorDetails } from '../../../src/errors/upstream-error';

const upstream = (details: Partial<UpstreamErrorDetails>) =>
  new UpstreamError({ service: 'keystone', method: 'GET', path: '/auth/tokens', failure: 'status', ...details });

describe('toClientError', () => {
  describe('upstream failures without a meaning', () => {
    it.each([
      [400, ErrorCode.BadUserInput, 'Keystone refused the request as invalid.'],
      [401, ErrorCode.Unauthenticated, 'Keystone refused the token or credentials.'],
      [403, ErrorCode.Forbidden, 'Keystone does not allow this for the caller.'],
      [404, ErrorCode.NotFound, 'Keystone found no such resource.'],
      [409, ErrorCode.Conflict, 'Keystone reports that it already exists.'],
      [415, ErrorCode.UpstreamError, 'Keystone answered with unexpected status 415.'],
      [302, ErrorCode.UpstreamError, 'Keystone answered with unexpected status 302.'],
      [500, ErrorCode.UpstreamUnavailable, 'Keystone failed (status 500).'],
      [503, ErrorCode.UpstreamUnavailable, 'Keystone failed (status 503).'],
    ])('status %i -> %s', (status, code, message) => {
      expect(toClientError(upstream({ status, requestId: 'req-1' }))).toEqual({
        code,
        message,
        upstream: { service: 'keystone', status, requestId: 'req-1' },
      });
    });

    it.each([
      ['timeout', ErrorCode.UpstreamUnavailable, 'The multicloud service did not answer in time.'],
      ['unreachable', ErrorCode.UpstreamUnavailable, 'The multicloud service cannot be reached.'],
      ['invalid-response', ErrorCode.UpstreamError, 'The multicloud service sent a response the gateway cannot read.'],
    ] as const)('failure %s -> %s', (failure, code, message) => {
      expect(toClientError(upstream({ service: 'multicloud', failure }))).toEqual({
        code,
        message,
        upstream: { service: 'multicloud', status: null, requestId: null },
      });
    });

    it('an invalid response keeps its status', () => {
      expect(toClientError(upstream({ failure: 'invalid-response', status: 201 })).upstream).toEqual({
        service: 'keystone',
        status: 201,
        requestId: null,
      });
    });
  });

  it("uses the meaning of the client's reason over the default", () => {
    const error = upstream({ status: 404 }).withReason('token-unknown');
    expect(toClientError(error)).toEqual({
      code: ErrorCode.Unauthenticated,
      message: 'The token is unknown, expired or revoked.',
      upstream: { service: 'keystone', status: 404, requestId: null },
    });
  });

  it('says nothing of the upstream call where its status would tell whose things exist', () => {
    const error = upstream({ status: 403, requestId: 'req-1' }).withReason('credential-not-visible');
    expect(toClientError(error)).toEqual({
      code: ErrorCode.NotFound,
      message: 'No AK/SK pair with this access key that you may manage.',
    });
    expect(failureFor('credential-not-visible')).toMatchObject({
      message: 'No AK/SK pair with this access key that you may manage.',
      extensions: { code: ErrorCode.NotFound },
    });
  });

  describe('toHttpError: the status of a plain route', () => {
    it.each([
      [upstream({ status: 401 }), 401],
      [upstream({ status: 403 }), 403],
      [upstream({ status: 404 }), 404],
      [upstream({ status: 400 }), 400],
      [upstream({ status: 409 }), 409],
      [upstream({ status: 503 }), 502],
      [upstream({ status: 302 }), 502],
      [upstream({ failure: 'unreachable' }), 502],
      [upstream({ failure: 'invalid-response', status: 200 }), 502],
      [upstream({ failure: 'timeout' }), 504],
      [upstream({ status: 404 }).withReason('token-unknown'), 401],
      [new Error('a bug'), 500],
    ])('%s -> %i', (error, status) => {
      expect(toHttpError(error).httpStatus).toBe(status);
    });
  });

  it('never shows the detail, which may quote the upstream', () => {
    const error = upstream({ status: 400, detail: 'Invalid input for field identity: hunter2 is not valid' });
    expect(JSON.stringify(toClientError(error))).not.toContain('hunter2');
    expect(JSON.stringify(toClientError(error))).not.toContain('Invalid input');
  });

  it("passes the gateway's own errors through with their code", () => {
    expect(toClientError(badUserInput('userId must not be empty.'))).toEqual({
      code: ErrorCode.BadUserInput,
      message: 'userId must not be empty.',
    });
    expect(toClientError(unauthenticated('No token.'))).toEqual({ code: ErrorCode.Unauthenticated, message: 'No token.' });
    expect(toClientError(new GatewayError(ErrorCode.Forbidden, 'No.'))).toEqual({ code: ErrorCode.Forbidden, message: 'No.' });
    expect(toClientError(new GraphQLError('Custom.', { extensions: { code: 'SOMETHING' } }))).toEqual({
      code: 'SOMETHING',
      message: 'Custom.',
    });
  });

  it.each([
    ['an Error', new Error('connect ECONNREFUSED password=hunter2')],
    ['a TypeError', new TypeError('invalid path segment')],
    ['a GraphQLError without code', new GraphQLError('secret stuff')],
    ['a GraphQLError with a non-string code', new GraphQLError('secret stuff', { extensions: { code: 42 } })],
    ['a string', 'hunter2'],
    ['undefined', undefined],
    ['null', null],
    ['an object', { code: ErrorCode.Forbidden, message: 'forged' }],
  ])('masks %s as INTERNAL_SERVER_ERROR', (_what, thrown) => {
    expect(toClientError(thrown)).toEqual({ code: ErrorCode.InternalServerError, message: 'Internal server error.' });
  });
});

describe('GatewayError', () => {
  it('is a GraphQLError carrying its code', () => {
    const error = badUserInput('Bad.');
    expect(error).toBeInstanceOf(GraphQLError);
    expect(error.name).toBe('GatewayError');
    expect(error.extensions).toEqual({ code: ErrorCode.BadUserInput });
  });
});
