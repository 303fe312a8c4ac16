import type { AgentConfig } from '../../config.js';
import type { Timers } from '../../clock/clock.js';
import type { SimOptions } from './sim.driver.js';
import type { SimSentLog } from './sim-sent-book.js';

type SimSettings = Pick<
  AgentConfig,
  | 'SIM_SEED'
  | 'SIM_LATENCY_MS'
  | 'SIM_LATENCY_JITTER_MS'
  | 'SIM_FAILURE_RATE'
  | 'SIM_NO_IMESSAGE_PATTERN'
  | 'SIM_RESPONSE_RATE'
  | 'SIM_REPLY_DELAY_MS'
  | 'SIM_DELIVERY_DELAY_MS'
  | 'SIM_BAN_MODEL'
  | 'SIM_BAN_DAILY_VOLUME'
  | 'SIM_BAN_DAILY_NEW_CONTACTS'
  | 'SIM_BAN_MAX_RATIO'
  | 'SIM_BAN_RATIO_MIN_SAMPLE'
>;

/** Sim driver options from the environment settings; `seedOffset` gives each node of a fleet its own stream. */
export function simOptionsFrom(settings: SimSettings, timers: Timers, sentLog?: SimSentLog, seedOffset = 0): SimOptions {
  return {
    seed: settings.SIM_SEED + seedOffset,
    latencyMs: settings.SIM_LATENCY_MS,
    latencyJitterMs: settings.SIM_LATENCY_JITTER_MS,
    failureRate: settings.SIM_FAILURE_RATE,
    noImessagePattern: settings.SIM_NO_IMESSAGE_PATTERN,
    responseRate: settings.SIM_RESPONSE_RATE,
    replyDelayMs: settings.SIM_REPLY_DELAY_MS,
    deliveryDelayMs: settings.SIM_DELIVERY_DELAY_MS,
    ...(settings.SIM_BAN_MODEL
      ? {
          ban: {
            dailyVolume: settings.SIM_BAN_DAILY_VOLUME,
            dailyNewContacts: settings.SIM_BAN_DAILY_NEW_CONTACTS,
            maxRatio: settings.SIM_BAN_MAX_RATIO,
            ratioMinSample: settings.SIM_BAN_RATIO_MIN_SAMPLE,
          },
        }
      : {}),
    timers,
    ...(sentLog ? { sentLog } : {}),
  };
}
