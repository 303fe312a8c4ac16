import type { Type } from '@nestjs/common';

/** Feature modules (fleet, lines, contacts, settings, agent events, …), one folder each. */
export const FEATURE_MODULES: Type[] = [];
