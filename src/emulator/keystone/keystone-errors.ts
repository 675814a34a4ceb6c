/**
 * Keystone's error responses: `{"error":{"code","message","title"}}` with Python's reason
 * phrase as title. Security errors (401, 403) never say more than their fixed message.
 */

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  500: 'Internal Server Error',
};

export class KeystoneError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** Extra members of the `error` object, e.g. `identity` for an unsupported auth method. */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'KeystoneError';
  }

  get title(): string {
    return TITLES[this.status] ?? 'Error';
  }

  toBody(): { error: Record<string, unknown> } {
    return { error: { code: this.status, message: this.message, title: this.title, ...this.details } };
  }
}

/**
 * Something Keystone itself would crash on (an exception it has no handler for); answered with
 * the WSGI server's plain-text 500.
 */
export class KeystoneCrash extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'KeystoneCrash';
  }
}

const CLIENT_IN_ERROR =
  'The server could not comply with the request since it is either malformed or otherwise' +
  ' incorrect. The client is assumed to be in error.';

export const keystoneErrors = {
  unauthorized: () => new KeystoneError(401, 'The request you have made requires authentication.'),

  unsupportedAuthMethod: (supportedMethods: readonly string[]) =>
    new KeystoneError(401, 'Attempted to authenticate with an unsupported method.', {
      identity: { methods: [...supportedMethods] },
    }),

  forbiddenAction: (action: string) =>
    new KeystoneError(403, `You are not authorized to perform the requested action: ${action}.`),

  /** Keystone's `ValidationError`: "Expecting to find X in Y. ...". */
  missingAttribute: (attribute: string, target: string) =>
    new KeystoneError(400, `Expecting to find ${attribute} in ${target}. ${CLIENT_IN_ERROR}`),

  badRequest: (detail: string) => new KeystoneError(400, detail),

  notFound: (kind: 'user' | 'project' | 'credential' | 'domain' | 'role', id: string) =>
    new KeystoneError(404, `Could not find ${kind}: ${id}.`),

  /** A token that does not decrypt: never issued here, or mangled. */
  unrecognizedToken: () => new KeystoneError(404, 'Could not recognize Fernet token'),

  /** A token that was issued but is expired or revoked. */
  invalidToken: () => new KeystoneError(404, 'Failed to validate token'),

  missingSubjectToken: () => new KeystoneError(404, 'No token in the request'),

  conflict: (type: string, details: string) =>
    new KeystoneError(409, `Conflict occurred attempting to store ${type} - ${details}.`),

  /** The database refusing a value longer than its column. */
  stringTooLong: (value: string, column: string, length: number) =>
    new KeystoneError(
      400,
      `String length exceeded. The length of string '${value}' exceeds the limit of column ${column}(CHAR(${length})).`,
    ),
};
