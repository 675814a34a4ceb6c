/**
 * Starts the benchmark's child processes and makes sure none outlives the runner: each is
 * killed by its own pid on exit, on SIGINT/SIGTERM and on a crash, and each child also exits
 * by itself when its IPC channel to the runner closes.
 */
import { ChildProcess, fork } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { ChildAck, ChildReady, ParentCommand } from './protocol';

const running = new Set<ChildProcess>();

export class Child {
  constructor(
    readonly name: string,
    private readonly process: ChildProcess,
    readonly urls: Record<string, string>,
  ) {}

  get pid(): number {
    return this.process.pid ?? -1;
  }

  /** Sends a command and waits for the child's acknowledgement. */
  command(command: ParentCommand, timeoutMs = 30_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.process.off('message', onMessage);
        reject(new Error(`${this.name}: no answer to ${command.type} within ${timeoutMs} ms`));
      }, timeoutMs);
      const onMessage = (message: unknown) => {
        const ack = message as ChildAck;
        if (ack?.type !== 'ack' || ack.command !== command.type) return;
        clearTimeout(timer);
        this.process.off('message', onMessage);
        if (ack.error) reject(new Error(`${this.name}: ${command.type} failed: ${ack.error}`));
        else resolve();
      };
      this.process.on('message', onMessage);
      this.process.send(command);
    });
  }

  /** Asks the child to close cleanly; kills it when it has not gone within `graceMs`. */
  async stop(graceMs = 5_000): Promise<void> {
    if (this.process.exitCode !== null || this.process.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.process.once('exit', () => resolve()));
    if (this.process.connected) this.process.send({ type: 'stop' } satisfies ParentCommand);
    else this.process.kill('SIGTERM');
    const timer = setTimeout(() => this.process.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }
}

export interface ChildOptions {
  env?: Record<string, string>;
  /** The program that runs Node (default: this Node); with `execArgv`, e.g. valgrind and its options ending in Node's path. */
  execPath?: string;
  execArgv?: string[];
  /** The child's stdout and stderr go here (appended). */
  logFile: string;
  readyTimeoutMs?: number;
}

/** Forks `modulePath` and resolves once it reports `ready` with the URLs it listens on. */
export function startChild(name: string, modulePath: string, options: ChildOptions): Promise<Child> {
  const log = openSync(options.logFile, 'a');
  const child = fork(modulePath, [], {
    env: { ...process.env, ...options.env },
    execPath: options.execPath,
    execArgv: options.execArgv ?? [],
    stdio: ['ignore', log, log, 'ipc'],
  });
  closeSync(log);
  running.add(child);
  child.once('exit', () => running.delete(child));

  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => fail(`not ready within ${options.readyTimeoutMs ?? 30_000} ms`),
      options.readyTimeoutMs ?? 30_000,
    );
    const fail = (why: string) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${name} ${why}; its log (${options.logFile}) ends:\n${tail(options.logFile)}`));
    };
    child.once('exit', (code, signal) => fail(`exited before it was ready (code ${code}, signal ${signal})`));
    child.once('error', (error) => fail(`failed to start: ${error.message}`));
    child.on('message', (message: unknown) => {
      const ready = message as ChildReady;
      if (ready?.type !== 'ready') return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      child.once('exit', () => running.delete(child));
      resolve(new Child(name, child, ready.urls));
    });
  });
}

/** Kills every child still running, each by its own pid. Synchronous, so it works in an `exit` handler. */
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

let installed = false;

/** Children die with the runner, whether it finishes, fails or is interrupted. */
export function installCleanup(): void {
  if (installed) return;
  installed = true;
  process.once('exit', killAllChildren);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      process.stderr.write(`\n${signal}: stopping the benchmark and its child processes\n`);
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
