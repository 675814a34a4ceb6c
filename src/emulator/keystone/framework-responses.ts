/**
 * Responses a real Keystone sends from the layers around its API code (werkzeug routing,
 * flask-restful, oslo.middleware's size limit, the wsgiref server), whose bodies are not
 * Keystone's `{"error": ...}` shape. Clients must cope with them, so the emulator sends them too.
 */

import type { KeystoneResponse } from './keystone-response';

/** Werkzeug's page for a URL no route matches. */
export function routeNotFound(): KeystoneResponse {
  return {
    status: 404,
    text: {
      contentType: 'text/html; charset=utf-8',
      content:
        '<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n' +
        '<p>The requested URL was not found on the server. If you entered the URL manually please ' +
        'check your spelling and try again.</p>\n',
    },
  };
}

/** Flask serves OPTIONS, and HEAD wherever there is GET, on every route. */
function allowHeader(servedMethods: readonly string[]): string {
  return [...servedMethods, 'OPTIONS', ...(servedMethods.includes('GET') ? ['HEAD'] : [])].join(', ');
}

/** Flask-restful's answer for a known URL with a method it does not serve. */
export function methodNotAllowed(servedMethods: readonly string[], allow = allowHeader(servedMethods)): KeystoneResponse {
  return {
    status: 405,
    body: { message: 'The method is not allowed for the requested URL.' },
    headers: { Allow: allow },
  };
}

/** Flask's automatic answer to OPTIONS: an empty page naming the methods. */
export function methodsAllowed(servedMethods: readonly string[], allow = allowHeader(servedMethods)): KeystoneResponse {
  return {
    status: 200,
    text: { contentType: 'text/html; charset=utf-8', content: '' },
    headers: { Allow: allow },
  };
}

/**
 * Keystone's auth middleware meeting an X-Auth-Token whose user has been deleted: a 404 it
 * renders itself, with Python's `json.dumps` spacing and another key order than API errors.
 */
export function userGoneResponse(userId: string): KeystoneResponse {
  const message = JSON.stringify(`Could not find user: ${userId}.`);
  return {
    status: 404,
    text: {
      contentType: 'application/json',
      content: `{"error": {"code": 404, "title": "Not Found", "message": ${message}}}`,
    },
  };
}

/**
 * Keystone's auth middleware meeting an X-Auth-Token issued by `/ec2tokens`: such a token may
 * not authorize any call at all, whatever the route. The middleware's own 403, whose message is
 * the generic one (the specific "EC2 credential tokens cannot be used for authorization." is
 * hidden outside `insecure_debug`).
 */
export function ec2TokenRefusedResponse(): KeystoneResponse {
  return {
    status: 403,
    text: {
      contentType: 'application/json',
      content:
        '{"error": {"code": 403, "title": "Forbidden", "message": "You are not authorized to perform the requested action."}}',
    },
  };
}

/** The wsgiref server's answer when Keystone raises something it has no handler for. */
export function unhandledServerError(): KeystoneResponse {
  return {
    status: 500,
    text: { contentType: 'text/plain', content: 'A server error occurred.  Please contact the administrator.' },
    outsideApplication: true,
  };
}

type Offer = 'text/html' | 'application/json';

/** WebOb's choice between its HTML and JSON error pages (`acceptable_offers`); neither means plain text. */
function negotiate(accept: string | undefined): Offer | undefined {
  if (accept === undefined || accept.trim() === '') return undefined;
  const ranges = accept.split(',').map((part) => {
    const [range, ...parameters] = part.trim().toLowerCase().split(';');
    const q = parameters.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return { range: range.trim(), q: q ? Number(q.slice(2)) : 1 };
  });
  const qualityOf = (offer: Offer) => {
    const [type] = offer.split('/');
    const match =
      ranges.find((r) => r.range === offer) ??
      ranges.find((r) => r.range === `${type}/*`) ??
      ranges.find((r) => r.range === '*/*');
    return match && Number.isFinite(match.q) ? match.q : 0;
  };
  const offers: Offer[] = ['text/html', 'application/json'];
  const acceptable = offers.filter((offer) => qualityOf(offer) > 0);
  // Stable sort keeps WebOb's preference for HTML on equal quality.
  acceptable.sort((a, b) => qualityOf(b) - qualityOf(a));
  return acceptable[0];
}

/** oslo.middleware's size limit, rendered by WebOb according to `Accept`. */
export function bodyTooLarge(limitBytes: number, accept: string | undefined): KeystoneResponse {
  const status = '413 Request Entity Too Large';
  const explanation = `Request is too large. Larger than max_request_body_size (${limitBytes}).`;
  const common = { status: 413, outsideApplication: true } as const;
  switch (negotiate(accept)) {
    case 'text/html':
      return {
        ...common,
        text: {
          contentType: 'text/html; charset=UTF-8',
          content:
            `<html>\n <head>\n  <title>${status}</title>\n </head>\n <body>\n  <h1>${status}</h1>\n` +
            `  ${explanation}<br /><br />\n\n\n\n </body>\n</html>`,
        },
      };
    case 'application/json':
      return {
        ...common,
        body: { message: `${explanation}<br /><br />\n\n\n`, code: status, title: 'Request Entity Too Large' },
      };
    default:
      return {
        ...common,
        text: { contentType: 'text/plain; charset=UTF-8', content: `${status}\n\n${explanation}\n\n   ` },
      };
  }
}
