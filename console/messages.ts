/** What the console tells a person when something fails: sentences, never error codes. */
import { GatewayClientError } from '../client/gateway-client.js';

/** What the person was doing; some codes mean different things at different steps. */
export type Action =
  | 'sign-in'
  | 'restore'
  | 'choose-project'
  | 'load'
  | 'create'
  | 'update'
  | 'deactivate'
  | 'activate'
  | 'rotate'
  | 'verify'
  | 'delete'
  | 'download'
  | 'history'
  | 'sign-out';

const DOING: Record<Action, string> = {
  'sign-in': 'sign you in',
  restore: 'check your session',
  'choose-project': 'open that project',
  load: 'load the access keys',
  create: 'create the access key',
  update: 'save the access key',
  deactivate: 'deactivate the access key',
  activate: 'activate the access key',
  rotate: 'rotate the access key',
  verify: 'test the access key',
  delete: 'delete the access key',
  download: 'prepare the download',
  history: 'load the history of the access keys',
  'sign-out': 'sign you out',
};

/** True when the person must sign in (again) before anything else works. */
export function needsSignIn(error: unknown): boolean {
  return error instanceof GatewayClientError && error.code === 'UNAUTHENTICATED';
}

export function describeError(error: unknown, action: Action): string {
  if (!(error instanceof GatewayClientError))
    return `Something went wrong in this page while trying to ${DOING[action]}. Reload the page and try again.`;
  switch (error.code) {
    case 'UNAUTHENTICATED':
      if (action === 'sign-in') return 'The user name, password or domain is not correct.';
      if (action === 'choose-project')
        return 'You have no role in that project, or your session has ended. Sign in again or choose another project.';
      return 'Your session has ended. Please sign in again.';
    case 'TOO_MANY_REQUESTS': {
      const seconds = Number(error.extensions.retryAfterSeconds);
      const wait = Number.isFinite(seconds) && seconds > 0 ? waitFor(seconds) : 'a few minutes';
      return `Too many failed sign-in attempts. Please wait ${wait} and try again.`;
    }
    case 'FORBIDDEN':
      return `You are not allowed to do this in this project, so the console could not ${DOING[action]}. Ask an administrator for a role that allows it, or switch to another project.`;
    case 'NOT_FOUND':
      return 'That user, project or access key no longer exists. The list has been refreshed.';
    case 'BAD_USER_INPUT':
      if (action === 'sign-in') return 'Please enter a user name and a password.';
      // The gateway's messages for refused input say what was wrong (a project where the user has
      // no role, a date in the past) and never hold a secret: pass them on.
      return `The gateway did not accept this, so the console could not ${DOING[action]}: ${error.message} Correct it and try again.`;
    case 'QUOTA_EXCEEDED':
      // The gateway's message says how many keys a user may hold.
      return `${error.message} Delete a key this user no longer needs, then try again.`;
    case 'CONFLICT':
      return 'That access key already exists. Try again: a new one will be made.';
    case 'UPSTREAM_UNAVAILABLE':
      return `The identity service is not responding right now, so the console could not ${DOING[action]}. Please try again in a moment.`;
    case 'NETWORK_ERROR':
      return `The gateway cannot be reached, so the console could not ${DOING[action]}. Check your network connection and try again.`;
    case 'UPSTREAM_ERROR':
    case 'INTERNAL_SERVER_ERROR':
    case 'BAD_RESPONSE':
      return `Something went wrong on the server while trying to ${DOING[action]}. Please try again; if it keeps happening, contact your administrator.`;
    default:
      return `The gateway refused the request, so the console could not ${DOING[action]}. Reload the page and try again.`;
  }
}

function waitFor(seconds: number): string {
  if (seconds < 60) return `${Math.ceil(seconds)} seconds`;
  const minutes = Math.ceil(seconds / 60);
  return minutes === 1 ? 'a minute' : `${minutes} minutes`;
}
