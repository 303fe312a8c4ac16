import type { Type } from '@nestjs/common';
import { RemediationModule } from './remediation/remediation.module.js';
import { ClockModule } from './clock/clock.js';
import { ContactsModule } from './contacts/contacts.module.js';
import { LinesModule } from './lines/lines.module.js';
import { NodesModule } from './nodes/nodes.module.js';
import { FleetSettingsModule } from './settings/fleet-settings.module.js';

/** Feature modules (fleet, lines, contacts, settings, agent events, …), one folder each. */
export const FEATURE_MODULES: Type[] = [ClockModule, FleetSettingsModule, NodesModule, LinesModule, ContactsModule, RemediationModule];
