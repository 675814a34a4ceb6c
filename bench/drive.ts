/** How both benchmarks send requests: one checked POST, or an autocannon run. */
import autocannon from 'autocannon';
import { looksSuccessful } from './operations';

export interface Drive {
  url: string;
  headers: Record<string, string>;
  body: string;
  connections: number;
  durationS: number;
}

/** POSTs `body` over `connections` keep-alive connections for `durationS`; every answer is checked (a wrong one is a mismatch). */
export function drive({ url, headers, body, connections, durationS }: Drive): Promise<autocannon.Result> {
  return new Promise((resolvePromise, reject) => {
    autocannon(
      { url, method: 'POST', headers, body, connections, duration: durationS, timeout: 30, verifyBody: looksSuccessful },
      (error, result) => (error ? reject(error) : resolvePromise(result)),
    );
  });
}

export interface Answer {
  status: number;
  text: string;
  /** `undefined` when the body is not JSON. */
  json: unknown;
}

/** One POST, its body read whole and parsed when it is JSON. */
export async function postOnce(url: string, headers: Record<string, string>, body: string): Promise<Answer> {
  const response = await fetch(url, { method: 'POST', headers, body });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, text, json };
}
