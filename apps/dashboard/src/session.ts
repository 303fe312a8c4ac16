import { createContext, useContext } from 'react';
import type { Session } from './types.js';

export const SessionContext = createContext<Session>({ keyName: '', scopes: [] });

/** Whether the signed-in key may do something; the API decides anyway (403), this only hides buttons. */
export function useCan(scope: string): boolean {
  const { scopes } = useContext(SessionContext);
  return scopes.includes('admin') || scopes.includes(scope);
}
