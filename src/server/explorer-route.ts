/**
 * The GraphiQL explorer page a browser gets on GET /graphql (GRAPHQL_EXPLORER=graphiql). Its
 * assets are built by `npm run build` into dist/explorer/ and served below /graphql/explorer/, so
 * the page needs nothing from the internet.
 */
import { readFile } from 'node:fs/promises';
import { IncomingMessage, ServerResponse } from 'node:http';
import { resolve } from 'node:path';
import { SECURITY_HEADERS } from './console-route';
import { sendRequestError } from './http-io';

export const EXPLORER_ROOT = resolve(__dirname, '../../dist/explorer');
/** Where the page's scripts and styles are served; under /graphql, which CONSOLE_PATH may not use. */
export const EXPLORER_ASSETS_PATH = '/graphql/explorer';

/**
 * The console's policy, plus what GraphiQL's stylesheet carries inline: fonts and icons as
 * `data:` URLs. Scripts and fetches stay same-origin.
 */
const EXPLORER_HEADERS: Readonly<Record<string, string>> = {
  ...SECURITY_HEADERS,
  'content-security-policy': [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; '),
};

/** A browser navigating to /graphql: a GET that asks for HTML and carries no operation. */
export function wantsExplorerPage(request: IncomingMessage, search: string): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  if (new URLSearchParams(search).has('query')) return false;
  return /\btext\/html\b/.test(request.headers.accept ?? '');
}

/** Sends explorer.html, linking the console when it is served (`consolePath` or undefined). */
export async function serveExplorerPage(
  request: IncomingMessage,
  response: ServerResponse,
  consolePath: string | undefined,
  root: string = EXPLORER_ROOT,
): Promise<void> {
  let page: string;
  try {
    page = await readFile(`${root}/explorer.html`, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    sendRequestError(response, 404, 'NOT_FOUND', 'The GraphQL explorer is not built: run `npm run build`.');
    return;
  }
  // CONSOLE_PATH is validated to letters, digits, `.`, `_`, `-` and `/`: nothing to escape.
  const body = Buffer.from(page.replace('{{CONSOLE_PATH}}', consolePath ? `${consolePath}/` : ''));
  response.writeHead(200, {
    'content-type': 'text/html; charset=utf-8',
    'content-length': body.length,
    'cache-control': 'no-cache',
    ...EXPLORER_HEADERS,
  });
  response.end(request.method === 'HEAD' ? undefined : body);
}
