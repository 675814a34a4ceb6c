/**
 * Serves the reference web console (`console/`, built into `dist/console/` by `npm run build`)
 * under its configured path, with headers that let its page run only its own files.
 */
import { readFile } from 'node:fs/promises';
import { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { sendRequestError } from './http-io';

/** The built console: `<repo>/dist/console`, both from `src/server` (tests) and `dist/server`. */
export const CONSOLE_ROOT = resolve(__dirname, '../../dist/console');

export const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.txt': 'text/plain; charset=utf-8',
};

/** The page talks to its own origin only: scripts, styles, images and `fetch` from self, nothing inline. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self'",
    "connect-src 'self'",
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; '),
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

/** A path segment of a console file: no dot files, no `..`, no separators once decoded. */
const SAFE_SEGMENT = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

/**
 * Answers requests for `basePath` (redirected to `basePath/`) and the files below it; returns false
 * for any other path, leaving it to the next route. Also serves the explorer's assets.
 */
export async function serveConsole(
  request: IncomingMessage,
  response: ServerResponse,
  pathname: string,
  basePath: string,
  root: string = CONSOLE_ROOT,
): Promise<boolean> {
  if (pathname !== basePath && !pathname.startsWith(`${basePath}/`)) return false;
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.writeHead(405, { allow: 'GET, HEAD' }).end();
    return true;
  }
  if (pathname === basePath) {
    // Relative URLs in the page resolve against the trailing slash.
    response.writeHead(308, { location: `${basePath}/`, ...SECURITY_HEADERS }).end();
    return true;
  }

  const file = resolveFile(root, pathname.slice(basePath.length + 1) || 'index.html');
  const contentType = file && CONTENT_TYPES[extname(file)];
  let body: Buffer | undefined;
  if (file && contentType) {
    try {
      body = await readFile(file);
    } catch (error) {
      if (!isMissing(error)) throw error;
    }
  }
  if (!body || !contentType) {
    const notBuilt = pathname === `${basePath}/`;
    sendRequestError(response, 404, 'NOT_FOUND', notBuilt ? 'The console is not built: run `npm run build`.' : 'Not found.');
    return true;
  }
  response.writeHead(200, {
    'content-type': contentType,
    'content-length': body.length,
    'cache-control': 'no-cache',
    ...SECURITY_HEADERS,
  });
  response.end(request.method === 'HEAD' ? undefined : body);
  return true;
}

/** The file under `root` a URL path names, or undefined when it could name anything outside it. */
function resolveFile(root: string, relativeUrlPath: string): string | undefined {
  const segments: string[] = [];
  for (const raw of relativeUrlPath.split('/')) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return undefined;
    }
    if (!SAFE_SEGMENT.test(segment)) return undefined;
    segments.push(segment);
  }
  const file = join(root, ...segments);
  return file.startsWith(root + sep) ? file : undefined;
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR';
}
