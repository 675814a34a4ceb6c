/**
 * The gateway under test, in its own process: configured from the environment exactly as
 * `src/main.ts` does (the runner sets `NODE_ENV=production`, the stub's URLs and the log
 * level) and started with `startGateway`. It can also profile itself on the runner's command,
 * so a CPU profile covers only the load window and not start-up.
 */
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { loadConfig } from '../src/config';
import { createLogger } from '../src/observability/logger';
import { startGateway } from '../src/server/gateway';
import { ChildAck, ChildReady, isParentCommand, ParentCommand } from './protocol';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  if (!config.keystoneUrl) throw new Error('KEYSTONE_URL is required: the bench never starts the embedded emulator');
  const logger = createLogger(config.logLevel);
  const gateway = await startGateway(config, { keystoneUrl: config.keystoneUrl, multicloudUrl: config.multicloudUrl }, logger);
  let profiler: Session | undefined;

  const ack = (command: ParentCommand['type'], error?: unknown) => {
    const message: ChildAck = {
      type: 'ack',
      command,
      error: error === undefined ? undefined : error instanceof Error ? error.message : JSON.stringify(error),
    };
    process.send?.(message);
  };

  process.on('message', (message: unknown) => {
    if (!isParentCommand(message)) return;
    if (message.type === 'stop') {
      void gateway.close().finally(() => process.exit(0));
    } else if (message.type === 'profile-start') {
      profiler = new Session();
      profiler.connect();
      profiler.post('Profiler.enable', () =>
        profiler?.post('Profiler.start', (error) => ack('profile-start', error ?? undefined)),
      );
    } else if (message.type === 'profile-stop') {
      const session = profiler;
      if (!session) return ack('profile-stop', 'the profiler was not started');
      session.post('Profiler.stop', (error, result) => {
        if (!error) writeFileSync(message.file, JSON.stringify(result.profile));
        session.disconnect();
        profiler = undefined;
        ack('profile-stop', error ?? undefined);
      });
    }
  });

  const ready: ChildReady = { type: 'ready', urls: { url: gateway.url } };
  process.send?.(ready);
}

process.on('disconnect', () => process.exit(0));
main().catch((error: unknown) => {
  process.stderr.write(`gateway child failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
