import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createControlPlane } from './bootstrap.js';
import { loadConfigOrExit } from './config/load-config.js';

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const app = await createControlPlane(config);
  await app.listen(config.PORT, config.HOST);
  new Logger('bootstrap').log(`control plane listening on http://${config.HOST}:${config.PORT} (roles: ${config.ROLES.join(',')})`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bridgefleet: failed to start: ${(error as Error).message}\n`);
  process.exit(1);
});
