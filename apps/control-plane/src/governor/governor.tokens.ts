/** Injection tokens: the governor's tuning constants and its random source (jitter), replaceable in tests. */
export const GOVERNOR_TUNING = Symbol('GOVERNOR_TUNING');
export const GOVERNOR_RANDOM = Symbol('GOVERNOR_RANDOM');
