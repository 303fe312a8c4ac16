import type { Scope } from '@bridgefleet/contracts/keys.schema.js';

/** Who is calling: attached to the request by the auth guard, recorded in audit events. */
export interface Principal {
  keyId: string;
  keyName: string;
  scopes: readonly Scope[];
  /** `key:<id>` for API keys; audit events use it as the actor. */
  actor: string;
}

export function hasScope(principal: Principal, scope: Scope): boolean {
  return principal.scopes.includes('admin') || principal.scopes.includes(scope);
}
