import type { AppConfig, Role } from './config.schema.js';

/** Whether this process runs `role` (ROLES lists it, or `all`). */
export function runsRole(config: Pick<AppConfig, 'ROLES'>, role: Exclude<Role, 'all'>): boolean {
  return config.ROLES.includes(role) || config.ROLES.includes('all');
}
