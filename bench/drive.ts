/** One autocannon run against one target: the load both benchmarks apply. */
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
