import type { Provider } from '@nestjs/common';
import { builtinRunbooks } from '@bridgefleet/runbooks/builtin-runbooks.js';
import { RunbookCatalog } from '@bridgefleet/runbooks/runbook-catalog.js';
import { loadRunbookFile } from '@bridgefleet/runbooks/runbook-file.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.schema.js';

export const RUNBOOK_CATALOG = Symbol('RUNBOOK_CATALOG');

function labels(list: string, setting: string): [string, ...string[]] {
  const values = list
    .split(',')
    .map((value) => value.trim())
    .filter(Boolean);
  if (values.length === 0) throw new Error(`${setting} names no launchd label`);
  return values as [string, ...string[]];
}

/** The allowlist: the built-in runbooks plus the operator's runbook file, checked at start-up. */
export function buildRunbookCatalog(config: AppConfig): RunbookCatalog {
  const builtins = builtinRunbooks({
    agentLabels: labels(config.REMEDIATION_AGENT_LABELS, 'REMEDIATION_AGENT_LABELS'),
    bluebubblesLabels: labels(config.REMEDIATION_BLUEBUBBLES_LABELS, 'REMEDIATION_BLUEBUBBLES_LABELS'),
  });
  const extra = config.REMEDIATION_RUNBOOKS_FILE ? loadRunbookFile(config.REMEDIATION_RUNBOOKS_FILE) : [];
  return new RunbookCatalog([...builtins, ...extra]);
}

export const runbookCatalogProvider: Provider = {
  provide: RUNBOOK_CATALOG,
  inject: [APP_CONFIG],
  useFactory: buildRunbookCatalog,
};
