/** Raw HTTP exchanges with a Keystone v3 base URL, for the contract tests. */

import { Agent, request } from 'undici';

export interface Exchange {
  status: number;
  headers: Record<string, string | undefined>;
  text: string;
  /** The body parsed as JSON; throws when it is not. */
  json(): any;
}

export interface SendOptions {
  token?: string;
  subjectToken?: string;
  headers?: Record<string, string>;
  /** Sent as JSON with `Content-Type: application/json`. */
  json?: unknown;
  /** Sent as is; set the content type yourself. */
  body?: string;
}

export class KeystoneHttp {
  private readonly agent = new Agent({ keepAliveTimeout: 1000, connections: 4 });

  constructor(private readonly baseUrl: string) {}

  async send(method: string, path: string, options: SendOptions = {}): Promise<Exchange> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token !== undefined) headers['X-Auth-Token'] = options.token;
    if (options.subjectToken !== undefined) headers['X-Subject-Token'] = options.subjectToken;
    let body = options.body;
    if (options.json !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(options.json);
    }
    const response = await request(`${this.baseUrl.replace(/\/+$/, '')}${path}`, {
      method: method as 'GET',
      headers,
      body,
      dispatcher: this.agent,
    });
    const text = await response.body.text();
    const flatHeaders: Record<string, string | undefined> = {};
    for (const [name, value] of Object.entries(response.headers)) {
      flatHeaders[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
    }
    return {
      status: response.statusCode,
      headers: flatHeaders,
      text,
      json: () => JSON.parse(text),
    };
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}
