/**
 * A rolling-window cap over event times: an event at `t` counts while now < t + windowMs.
 * Returns null when one more event fits, else the instant the window frees a slot
 * (the oldest event that must leave, plus the window).
 */
export function rollingWindowReleaseAt(times: readonly Date[], cap: number, windowMs: number, now: Date): Date | null {
  const inWindow = times
    .map((time) => time.getTime())
    .filter((time) => time > now.getTime() - windowMs)
    .sort((a, b) => a - b);
  if (inWindow.length < cap) return null;
  // A cap of 0 never frees a slot; come back after one window in case the limits changed.
  if (cap === 0) return new Date(now.getTime() + windowMs);
  // With `count` events and room for `cap`, the (count - cap + 1) oldest must leave.
  return new Date((inWindow[inWindow.length - cap] as number) + windowMs);
}
