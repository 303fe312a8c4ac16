import type { DriverSignals } from '@bridgefleet/contracts/agent.schema.js';
import type { DriverHealth } from '../driver.js';
import type { BlueBubblesClient } from './bluebubbles-client.js';
import { BLUEBUBBLES_DEFAULTS, type BlueBubblesSendMethod } from './bluebubbles.config.js';
import { BlueBubblesAuthError } from './bluebubbles.errors.js';
import { BlueBubblesServerInfo } from './bluebubbles.schema.js';

export const AUTH_FAILED_PROBLEM = 'bluebubbles authentication failed';

/** Turns /ping and /server/info into the health signals of shared/bluebubbles.md. */
export class HealthProbe {
  constructor(
    private readonly client: BlueBubblesClient,
    private readonly method: BlueBubblesSendMethod,
    private readonly timeoutMs: number,
  ) {}

  async probe(): Promise<DriverHealth> {
    try {
      const pong = await this.client.get('/ping', { timeoutMs: this.timeoutMs });
      if (pong.data !== 'pong') return unhealthy({ bridgeReachable: true }, `bluebubbles ping answered ${JSON.stringify(pong.data)}`);
      const info = await this.client.get('/server/info', { timeoutMs: this.timeoutMs });
      return healthFromServerInfo(info.data, this.method);
    } catch (error) {
      if (error instanceof BlueBubblesAuthError) return unhealthy({ bridgeReachable: true }, AUTH_FAILED_PROBLEM);
      return unhealthy({ bridgeReachable: false }, `bluebubbles unreachable: ${(error as Error).message}`);
    }
  }
}

export function healthFromServerInfo(data: unknown, method: BlueBubblesSendMethod): DriverHealth {
  const parsed = BlueBubblesServerInfo.safeParse(data);
  if (!parsed.success) return unhealthy({ bridgeReachable: true }, 'bluebubbles server/info is unreadable');
  const info = parsed.data;
  const signedIn = (value: string | null | undefined) => (typeof value === 'string' ? value.trim() !== '' : undefined);
  const signals: DriverSignals = definedOnly({
    bridgeReachable: true,
    privateApi: info.private_api,
    helperConnected: info.helper_connected,
    // empty strings upstream mean signed out
    icloudSignedIn: signedIn(info.detected_icloud),
    imessageSignedIn: signedIn(info.detected_imessage),
    clockDriftSeconds: info.macos_time_sync,
    serverVersion: info.server_version,
    osVersion: info.os_version,
  });
  const helperExpected = method === 'private-api' || info.private_api === true;
  const problems: string[] = [];
  if (helperExpected && info.helper_connected !== true) problems.push('private api helper not connected');
  if (signals.icloudSignedIn === false) problems.push('icloud signed out');
  if (signals.imessageSignedIn === false) problems.push('imessage signed out');
  const drift = info.macos_time_sync;
  if (typeof drift === 'number' && Math.abs(drift) >= BLUEBUBBLES_DEFAULTS.maxClockDriftSeconds) problems.push(`clock drift ${drift} s`);
  return { healthy: problems.length === 0, messagesAppRunning: messagesAppRunning(info, helperExpected), signals, problems };
}

/**
 * BlueBubbles does not report Messages.app directly. The private API helper lives inside
 * Messages, so its connection is the best evidence; without the private API, an iMessage
 * account detected through Messages is the next best.
 */
function messagesAppRunning(info: BlueBubblesServerInfo, helperExpected: boolean): boolean {
  if (info.helper_connected === true) return true;
  if (helperExpected) return false;
  return typeof info.detected_imessage === 'string' && info.detected_imessage.trim() !== '';
}

/** Signals leave out what BlueBubbles did not report rather than carrying undefined/null. */
function definedOnly(values: Record<string, string | number | boolean | null | undefined>): DriverSignals {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined && value !== null)) as DriverSignals;
}

function unhealthy(signals: DriverSignals, problem: string): DriverHealth {
  return { healthy: false, messagesAppRunning: false, signals, problems: [problem] };
}
