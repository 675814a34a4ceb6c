import { request as httpRequest } from 'node:http';
import { loopbackServer } from './loopback-server';

/** The user a password login named, as the gateway sent it on to Keystone. */
export type PasswordAttempt = { name: string; domain: string } | { id: string };

export interface CountingProxy {
  /** The proxy's origin: a Keystone base URL `http://127.0.0.1:N/v3` maps to `{url}/v3`. */
  url: string;
  /** Every password login that went through, in order, by the user it named. */
  passwordLogins: PasswordAttempt[];
  close(): Promise<void>;
}

/**
 * A pass-through in front of a real upstream (the emulator or a real Keystone) that notes every
 * password login on its way, so a test can count the guesses that reached Keystone.
 */
export async function countingProxy(targetOrigin: string): Promise<CountingProxy> {
  const passwordLogins: PasswordAttempt[] = [];
  const target = new URL(targetOrigin);
  const server = await loopbackServer(async (incoming, outgoing) => {
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    if (incoming.method === 'POST' && (incoming.url ?? '').split('?')[0].endsWith('/auth/tokens')) {
      const attempt = passwordAttemptIn(body);
      if (attempt) passwordLogins.push(attempt);
    }
    await new Promise<void>((resolve, reject) => {
      const forwarded = httpRequest(
        { host: target.hostname, port: target.port, method: incoming.method, path: incoming.url, headers: incoming.headers },
        (answer) => {
          outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(outgoing);
          answer.on('end', resolve);
        },
      );
      forwarded.on('error', reject);
      forwarded.end(body);
    });
  });
  return { url: server.url, passwordLogins, close: () => server.close() };
}

function passwordAttemptIn(body: Buffer): PasswordAttempt | undefined {
  try {
    const user = JSON.parse(body.toString('utf8'))?.auth?.identity?.password?.user;
    if (typeof user?.id === 'string') return { id: user.id };
    if (typeof user?.name === 'string') return { name: user.name, domain: user.domain?.name ?? user.domain?.id };
  } catch {
    // Not JSON: not a login this proxy counts.
  }
  return undefined;
}
