import { ConfigError, loadAgentConfig } from './config.js';
import { startAgent } from './agent-runtime.js';

/** Entry point of the agent on each Mac (and of a single simulated Mac). */
async function main(): Promise<void> {
  const config = loadAgentConfig();
  const running = await startAgent(config);
  // Test harnesses read the port from this line when AGENT_PORT=0.
  process.stdout.write(`${JSON.stringify({ event: 'agent.listening', url: running.url })}\n`);
  const shutdown = () => {
    void running.close().finally(() => process.exit(0));
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

main().catch((error: Error) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
