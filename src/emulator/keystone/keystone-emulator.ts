/**
 * An in-memory Keystone (identity v3) answering the calls the gateway makes, with the statuses,
 * headers and bodies of a real Keystone 22. Mount `handle` under any base path.
 */

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Seed } from '../seed';
import { issueToken, listAuthProjects, revokeToken, validateToken } from './auth-routes';
import { createCredential, deleteCredential, getCredential, listCredentials, updateCredential } from './credential-routes';
import { getDomain, getProject, getUser, listDomains, listProjects, listUserProjects, listUsers } from './directory-routes';
import { createEc2Credential, deleteEc2Credential, getEc2Credential, listEc2Credentials } from './ec2-routes';
import { createEc2Token, EC2_CREDENTIAL_METHOD } from './ec2-tokens-route';
import { IdentityStore } from './identity-store';
import {
  bodyTooLarge,
  ec2TokenRefusedResponse,
  methodNotAllowed,
  methodsAllowed,
  routeNotFound,
  unhandledServerError,
  userGoneResponse,
} from './framework-responses';
import { KeystoneError } from './keystone-errors';
import { errorResponse, json, KeystoneResponse, writeKeystoneResponse } from './keystone-response';
import { decodeJsonObject, DEFAULT_MAX_BODY_BYTES, readRequestBody } from './request-body';
import { headerValue, RequestContext } from './request-context';
import { ServiceCatalog } from './token-body';
import { createUser, deleteUser, grantProjectRole, listRoles } from './user-admin-routes';

export interface KeystoneEmulatorOptions {
  /** Lifetime of a token issued by password; Keystone's default is one hour. */
  tokenTtlSeconds?: number;
  /** Clock in epoch milliseconds, injectable to test expiry. */
  now?: () => number;
  /** Larger request bodies get 413; Keystone's default limit is 112 KiB. */
  maxBodyBytes?: number;
}

export interface KeystoneEmulator {
  /**
   * Answers one request. `pathAfterBase` is the request path below the mount point
   * (`/auth/tokens` for `/identity/v3/auth/tokens`); the query is read from `req.url`.
   * Never throws and always ends the response.
   */
  handle(req: IncomingMessage, res: ServerResponse, pathAfterBase: string): void;
  /** The emulator's state, shared with the multicloud emulator (which stores AK/SK here). */
  readonly store: IdentityStore;
}

type RouteHandler = (context: RequestContext) => KeystoneResponse;

interface Route {
  /** Segments; `:name` captures one path segment. */
  pattern: string[];
  methods: Partial<Record<string, RouteHandler>>;
  /**
   * The `Allow` header of a real Keystone, when its resource serves more methods than the
   * emulator does (those still answer 405 here). Derived from `methods` when absent.
   */
  allow?: string;
}

/** Flask-restful resources serving a collection and its members, such as `/users`. */
const CRUD_ALLOW = 'GET, POST, DELETE, OPTIONS, HEAD, PATCH';

function versionDocument(context: RequestContext): KeystoneResponse {
  return json(200, {
    version: {
      id: 'v3.14',
      status: 'stable',
      updated: '2020-04-07T00:00:00Z',
      links: [{ rel: 'self', href: `${context.identityUrl}/` }],
      'media-types': [{ base: 'application/json', type: 'application/vnd.openstack.identity-v3+json' }],
    },
  });
}

const ROUTES: Route[] = [
  { pattern: [], methods: { GET: versionDocument } },
  {
    pattern: ['auth', 'tokens'],
    methods: { POST: issueToken, GET: validateToken, DELETE: revokeToken },
  },
  { pattern: ['auth', 'projects'], methods: { GET: listAuthProjects } },
  { pattern: ['ec2tokens'], methods: { POST: createEc2Token } },
  { pattern: ['credentials'], methods: { GET: listCredentials, POST: createCredential } },
  {
    pattern: ['credentials', ':credentialId'],
    methods: { GET: getCredential, PATCH: updateCredential, DELETE: deleteCredential },
  },
  { pattern: ['domains'], methods: { GET: listDomains }, allow: CRUD_ALLOW },
  { pattern: ['domains', ':domainId'], methods: { GET: getDomain }, allow: CRUD_ALLOW },
  { pattern: ['users'], methods: { GET: listUsers, POST: createUser }, allow: CRUD_ALLOW },
  { pattern: ['users', ':userId'], methods: { GET: getUser, DELETE: deleteUser }, allow: CRUD_ALLOW },
  { pattern: ['users', ':userId', 'projects'], methods: { GET: listUserProjects }, allow: 'GET, HEAD, OPTIONS' },
  {
    pattern: ['users', ':userId', 'credentials', 'OS-EC2'],
    methods: { GET: listEc2Credentials, POST: createEc2Credential },
  },
  {
    pattern: ['users', ':userId', 'credentials', 'OS-EC2', ':accessKey'],
    methods: { GET: getEc2Credential, DELETE: deleteEc2Credential },
  },
  { pattern: ['projects'], methods: { GET: listProjects }, allow: CRUD_ALLOW },
  { pattern: ['projects', ':projectId'], methods: { GET: getProject }, allow: CRUD_ALLOW },
  {
    pattern: ['projects', ':projectId', 'users', ':userId', 'roles', ':roleId'],
    methods: { PUT: grantProjectRole },
    allow: 'GET, PUT, DELETE, OPTIONS, HEAD',
  },
  { pattern: ['roles'], methods: { GET: listRoles }, allow: CRUD_ALLOW },
];

/**
 * Percent-decodes as the WSGI server and werkzeug do: a malformed escape such as `%zz` stays as
 * written and bytes that are not UTF-8 become U+FFFD, instead of the request being refused.
 */
function decodePath(path: string): string {
  const bytes: number[] = [];
  for (let index = 0; index < path.length; index++) {
    const escape = path.slice(index + 1, index + 3);
    if (path[index] === '%' && /^[0-9a-fA-F]{2}$/.test(escape)) {
      bytes.push(parseInt(escape, 16));
      index += 2;
    } else {
      bytes.push(...Buffer.from(path[index], 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/**
 * The whole path is decoded before routing, so `%2F` separates segments: an id containing a
 * slash cannot be named in a URL at all (a real Keystone answers werkzeug's 404 page).
 */
function matchRoute(path: string): { route: Route; params: Record<string, string> } | undefined {
  const segments = decodePath(path)
    .split('/')
    .filter((segment) => segment !== '');
  for (const route of ROUTES) {
    if (route.pattern.length !== segments.length) continue;
    const params: Record<string, string> = {};
    const matches = route.pattern.every((part, index) => {
      if (!part.startsWith(':')) return part === segments[index];
      params[part.slice(1)] = segments[index];
      return true;
    });
    if (matches) return { route, params };
  }
  return undefined;
}

interface RequestUrls {
  identityUrl: string;
  requestUrl: string;
  query: URLSearchParams;
}

/** Derives the mount point from the full URL, so links name the path the client used. */
function requestUrls(req: IncomingMessage, pathAfterBase: string): RequestUrls {
  const rawUrl = req.url ?? '/';
  const queryStart = rawUrl.indexOf('?');
  const fullPath = queryStart === -1 ? rawUrl : rawUrl.slice(0, queryStart);
  const queryText = queryStart === -1 ? '' : rawUrl.slice(queryStart + 1);
  const below = pathAfterBase.split('?')[0];
  const basePath = below !== '' && fullPath.endsWith(below) ? fullPath.slice(0, -below.length) : fullPath;
  const secure = (req.socket as { encrypted?: boolean }).encrypted === true;
  const host = req.headers.host ?? 'localhost';
  const origin = `${secure ? 'https' : 'http'}://${host}`;
  const identityUrl = origin + basePath.replace(/\/+$/, '');
  // Collection links name the resource without empty segments (`/users/` is `/users`).
  const resourcePath = below
    .split('/')
    .filter((segment) => segment !== '')
    .map((segment) => `/${segment}`)
    .join('');
  return {
    identityUrl,
    requestUrl: identityUrl + resourcePath + (queryText ? `?${queryText}` : ''),
    query: new URLSearchParams(queryText),
  };
}

/** Anything but a `KeystoneError` is, as in Keystone, unhandled: the WSGI server's plain 500. */
function failureResponse(failure: unknown, identityUrl: string): KeystoneResponse {
  return failure instanceof KeystoneError ? errorResponse(failure, identityUrl) : unhandledServerError();
}

export function createKeystoneEmulator(seed: Seed, options: KeystoneEmulatorOptions = {}): KeystoneEmulator {
  const store = new IdentityStore(seed, {
    tokenTtlSeconds: options.tokenTtlSeconds ?? 3600,
    now: options.now ?? Date.now,
  });
  const catalog = new ServiceCatalog();
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;

  async function respond(req: IncomingMessage, res: ServerResponse, pathAfterBase: string): Promise<void> {
    let urls: RequestUrls = { identityUrl: 'http://localhost', requestUrl: 'http://localhost/', query: new URLSearchParams() };
    const isHead = req.method === 'HEAD';
    try {
      urls = requestUrls(req, pathAfterBase);
      const raw = await readRequestBody(req, maxBodyBytes);
      if (raw.kind === 'too-large') {
        writeKeystoneResponse(res, bodyTooLarge(maxBodyBytes, req.headers.accept), { closeConnection: true, omitBody: isHead });
        return;
      }
      // Keystone's auth middleware reads X-Auth-Token on every request, before the body and the
      // route: the token of a user deleted since fails the whole request.
      const presented = headerValue(req.headers, 'x-auth-token');
      const lookup = presented ? store.lookupToken(presented) : undefined;
      if (lookup?.status === 'orphaned') {
        writeKeystoneResponse(res, userGoneResponse(lookup.userId), { omitBody: isHead });
        return;
      }
      if (lookup?.status === 'valid' && lookup.token.methods.includes(EC2_CREDENTIAL_METHOD)) {
        writeKeystoneResponse(res, ec2TokenRefusedResponse(), { omitBody: isHead });
        return;
      }
      // Keystone decodes the body before routing, so bad JSON is a 400 even on an unknown URL.
      const body = decodeJsonObject(raw.bytes, req.headers['content-type']);
      const matched = matchRoute(pathAfterBase.split('?')[0]);
      if (!matched) {
        writeKeystoneResponse(res, routeNotFound(), { omitBody: isHead });
        return;
      }
      const servedMethods = Object.keys(matched.route.methods);
      if (req.method === 'OPTIONS') {
        writeKeystoneResponse(res, methodsAllowed(servedMethods, matched.route.allow));
        return;
      }
      const handler = matched.route.methods[isHead ? 'GET' : (req.method ?? 'GET')];
      if (!handler) {
        writeKeystoneResponse(res, methodNotAllowed(servedMethods, matched.route.allow));
        return;
      }
      const response = handler({
        store,
        catalog,
        query: urls.query,
        headers: req.headers,
        body,
        params: matched.params,
        identityUrl: urls.identityUrl,
        requestUrl: urls.requestUrl,
      });
      writeKeystoneResponse(res, response, { omitBody: isHead });
    } catch (failure) {
      writeKeystoneResponse(res, failureResponse(failure, urls.identityUrl), { omitBody: isHead });
    }
  }

  return {
    store,
    handle(req, res, pathAfterBase) {
      respond(req, res, pathAfterBase).catch(() => {
        if (!res.writableEnded) res.destroy();
      });
    },
  };
}
