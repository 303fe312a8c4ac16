import { join } from 'node:path';
import type { Timers } from '../clock/clock.js';
import type { AgentConfig } from '../config.js';
import type { MessagesDriver } from './driver.js';
import { simOptionsFrom } from './sim/sim-options.js';
import { SimDriver } from './sim/sim.driver.js';
import { SimSentBook } from './sim/sim-sent-book.js';

type DriverClass = new (config: never) => MessagesDriver;

/**
 * The driver named by AGENT_DRIVER. The Mac drivers load lazily, so a simulated agent
 * never loads their code (and a missing one fails with a message saying which file).
 */
export async function createDriver(config: AgentConfig, timers: Timers): Promise<{ driver: MessagesDriver; close(): Promise<void> }> {
  switch (config.AGENT_DRIVER) {
    case 'sim': {
      // The simulated Mac's history lives next to the ledger, as chat.db outlives a restart.
      const sent = await SimSentBook.open(join(config.AGENT_DATA_DIR, 'sim-sent.jsonl'));
      return { driver: new SimDriver(simOptionsFrom(config, timers, sent.forScope())), close: () => sent.close() };
    }
    case 'bluebubbles': {
      const Driver = await loadDriver('./bluebubbles/bluebubbles.driver.js', 'BlueBubblesDriver');
      return { driver: new Driver(blueBubblesSettings(config) as never), close: async () => undefined };
    }
    case 'applescript': {
      const Driver = await loadDriver('./applescript/applescript.driver.js', 'AppleScriptDriver');
      return { driver: new Driver(appleScriptSettings(config) as never), close: async () => undefined };
    }
  }
}

async function loadDriver(specifier: string, exportName: string): Promise<DriverClass> {
  let module: Record<string, unknown>;
  try {
    module = (await import(specifier)) as Record<string, unknown>;
  } catch (error) {
    throw new Error(`the ${exportName} driver could not be loaded from drivers/${specifier.slice(2)}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const Driver = module[exportName];
  if (typeof Driver !== 'function') throw new Error(`drivers/${specifier.slice(2)} does not export ${exportName}`);
  return Driver as DriverClass;
}

/** The agent settings plus the driver's own names for them (see bluebubbles.config.ts). */
function blueBubblesSettings(config: AgentConfig) {
  return {
    ...config,
    serverUrl: config.BLUEBUBBLES_URL,
    password: config.BLUEBUBBLES_PASSWORD ?? '',
    ...(config.BLUEBUBBLES_WEBHOOK_URL ? { webhookUrl: config.BLUEBUBBLES_WEBHOOK_URL } : {}),
    method: config.BLUEBUBBLES_SEND_METHOD,
    sendTimeoutMs: config.AGENT_SEND_TIMEOUT_MS,
    pollIntervalMs: config.BLUEBUBBLES_POLL_INTERVAL_MS,
    attachmentMaxBytes: config.BLUEBUBBLES_ATTACHMENT_MAX_BYTES,
    attachmentDownloadTimeoutMs: config.BLUEBUBBLES_ATTACHMENT_TIMEOUT_MS,
    attachmentAllowPrivateNetworks: config.BLUEBUBBLES_ATTACHMENT_ALLOW_PRIVATE,
  };
}

function appleScriptSettings(config: AgentConfig) {
  return {
    ...config,
    osascriptPath: config.APPLESCRIPT_OSASCRIPT,
    chatDbPath: config.APPLESCRIPT_CHAT_DB,
    pollIntervalMs: config.APPLESCRIPT_POLL_INTERVAL_MS,
    sendTimeoutMs: config.AGENT_SEND_TIMEOUT_MS,
  };
}
