/**
 * The runner's child processes (emulator, gateway): forked with an IPC channel, their output
 * appended to a log file, and each killed by its own pid when the runner ends, however it ends.
 */
import { ChildProcess, fork } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { ReadyMessage } from './child-ipc';

const running = new Set<ChildProcess>();

export interface Child {
  name: string;
  pid: number;
  urls: Record<string, string>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
  stop(graceMs?: number): Promise<void>;
}

export function startChild(
  name: string,
  modulePath: string,
  options: { env: Record<string, string>; logFile: string; readyTimeoutMs?: number },
): Promise<Child> {
  const log = openSync(options.logFile, 'a');
  const child = fork(modulePath, [], {
    env: { ...process.env, ...options.env },
    execArgv: ['--enable-source-maps'],
    stdio: ['ignore', log, log, 'ipc'],
  });
  closeSync(log);
  running.add(child);
  child.once('exit', () => running.delete(child));
  const readyTimeoutMs = options.readyTimeoutMs ?? 30_000;

  return new Promise((resolve, reject) => {
    const fail = (why: string) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${name} ${why}; its log (${options.logFile}) ends:\n${tail(options.logFile)}`));
    };
    const onExit = (code: number | null, signal: string | null) =>
      fail(`exited before it was ready (code ${code}, signal ${signal})`);
    const timer = setTimeout(() => fail(`was not ready within ${readyTimeoutMs} ms`), readyTimeoutMs);
    child.once('exit', onExit);
    child.once('error', (error) => fail(`failed to start: ${error.message}`));
    child.on('message', (message: unknown) => {
      if ((message as ReadyMessage)?.type !== 'ready') return;
      clearTimeout(timer);
      child.off('exit', onExit);
      resolve({ name, pid: child.pid ?? -1, urls: (message as ReadyMessage).urls, stop: (graceMs) => stopChild(child, graceMs) });
    });
  });
}

async function stopChild(child: ChildProcess, graceMs = 5_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** Synchronous, so it also works in an `exit` handler. */
export function killAllChildren(): void {
  for (const child of running) {
    try {
      child.kill('SIGKILL');
    } catch {
      // Already gone.
    }
  }
  running.clear();
}

/** Children die with the runner: on exit, on SIGINT/SIGTERM/SIGHUP. */
export function installCleanup(): void {
  process.once('exit', killAllChildren);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      process.stderr.write(`\n${signal}: stopping the load test and its child processes\n`);
      killAllChildren();
      process.exit(130);
    });
  }
}

function tail(file: string): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-20).join('\n');
  } catch {
    return '(no log)';
  }
}
