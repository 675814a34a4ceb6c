import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { recordLogLine } from './log-audit';

/** The built entry point, as `npm start` runs it (the test command builds first). */
export const GATEWAY_MAIN = join(__dirname, '../../dist/main.js');

export interface GatewayProcess {
  child: ChildProcess;
  /** e.g. `http://127.0.0.1:41234`, read from the start-up banner. */
  url: string;
  /** The start-up lines written to stderr, up to and including the GraphQL endpoint's. */
  banner: string;
  /** Its JSON log lines, also handed to the suite's log audit. */
  stdout: string[];
  exited: Promise<number | null>;
  /** Resolves once a log line with this `msg` has been written (at once if it already was). */
  logged(msg: string): Promise<void>;
}

/** Starts `node dist/main.js` on port 0 with only PATH and the given environment. */
export async function startGatewayProcess(env: Record<string, string>): Promise<GatewayProcess> {
  const child = spawn(process.execPath, [GATEWAY_MAIN], {
    env: { PATH: process.env.PATH, PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout: string[] = [];
  const waiting: Array<{ msg: string; resolve: () => void }> = [];
  const hasMsg = (line: string, msg: string) => (JSON.parse(line) as { msg?: string }).msg === msg;
  // A pipe read can end inside a line: the rest comes with the next chunk.
  let partial = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines.filter(Boolean)) {
      stdout.push(line);
      recordLogLine(line);
      for (const waiter of waiting.filter((candidate) => hasMsg(line, candidate.msg))) {
        waiting.splice(waiting.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  });
  const logged = (msg: string): Promise<void> =>
    stdout.some((line) => hasMsg(line, msg)) ? Promise.resolve() : new Promise((resolve) => waiting.push({ msg, resolve }));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const [url, banner] = await new Promise<[string, string]>((resolve, reject) => {
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      const match = /GraphQL endpoint: (http:\/\/\S+)\/graphql/.exec(stderr);
      // The banner is written in one piece, ending with a blank line.
      if (match && stderr.endsWith('\n\n')) resolve([match[1], stderr]);
    });
    child.once('exit', (code) => reject(new Error(`gateway exited with ${code}: ${stderr}`)));
  });
  return { child, url, banner, stdout, exited, logged };
}
