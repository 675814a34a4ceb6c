/** The two messages between the runner and its children, and the child's side of them. */

export interface ReadyMessage {
  type: 'ready';
  urls: Record<string, string>;
}

export function reportReady(urls: Record<string, string>): void {
  process.send?.({ type: 'ready', urls } satisfies ReadyMessage);
}

/**
 * Closes and exits on SIGTERM, and also when the IPC channel to the runner closes, so a child
 * never outlives a runner that was killed without the chance to kill it. A close that hangs is
 * cut short after 3 s.
 */
export function exitWithParent(close: () => Promise<void>): void {
  if (!process.connected) {
    process.stderr.write('This is a child process of load/run.ts (npm run load), not a program of its own.\n');
    void close().finally(() => process.exit(2));
    return;
  }
  let closing = false;
  const stop = () => {
    if (closing) return;
    closing = true;
    setTimeout(() => process.exit(0), 3_000).unref();
    close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  process.once('disconnect', stop);
}
