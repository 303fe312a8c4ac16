/**
 * The control plane of `npm run bench:send`, alone in its own process so its RSS and
 * CPU are its own. Configured by the environment the benchmark passes; listens on an
 * ephemeral loopback port and reports it over IPC ({port}); closes when told ({stop})
 * or when the benchmark goes away.
 */
import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { createControlPlane } from '../apps/control-plane/src/bootstrap.js';
import { loadConfig } from '../apps/control-plane/src/config/load-config.js';

async function main(): Promise<void> {
  const app = await createControlPlane(loadConfig(process.env));
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  let closing = false;
  const stop = () => {
    if (closing) return;
    closing = true;
    // A shutdown that hangs (a blocked Redis read, a send in flight) must not outlive the benchmark.
    setTimeout(() => process.exit(0), 5_000).unref();
    void app
      .close()
      .catch(() => undefined)
      .finally(() => process.exit(0));
  };
  process.on('message', (message: { stop?: boolean }) => {
    if (message.stop) stop();
  });
  process.once('disconnect', stop);
  process.once('SIGTERM', stop);
  process.send?.({ port });
}

main().catch((error: unknown) => {
  process.stderr.write(`bench control plane failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
