import type { GovernorTuning } from './governor-tuning.js';

export interface ResponseRateVerdict {
  /** First-contact messages sent in the window. */
  sample: number;
  responded: number;
  /** responded / sample, null with no sample. */
  rate: number | null;
  /** Below the floor with enough sample: the line gets no new contacts (reputation `throttled`). */
  throttle: boolean;
}

/**
 * First-contact response rate: of the contacts this line messaged first (new contacts) in
 * the last 7 days, how many wrote back. Cold messages nobody answers are what gets numbers
 * reported as spam, so below the floor (15%, the figure Linq throttles at) the line stops
 * taking new contacts. Below the minimum sample the rate is noise and nothing is judged.
 * A throttled line sends no first contacts, so its sample ages out of the window within 7
 * days and the line is judged afresh; replies in the meantime lift it earlier.
 */
export function assessResponseRate(
  counts: { sent: number; responded: number },
  tuning: Pick<GovernorTuning, 'responseRateFloor' | 'responseRateMinSample'>,
): ResponseRateVerdict {
  const { sent, responded } = counts;
  return {
    sample: sent,
    responded,
    rate: sent === 0 ? null : responded / sent,
    // Multiplying (not dividing) keeps the comparison identical in the Lua script.
    throttle: sent >= tuning.responseRateMinSample && responded < tuning.responseRateFloor * sent,
  };
}
