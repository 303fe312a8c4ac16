import type { Api } from './api.js';
import { CliError, EXIT } from './exit-codes.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function all<T>(api: Api, path: string): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  do {
    const separator = path.includes('?') ? '&' : '?';
    const page: { items: T[]; nextCursor: string | null } = await api.get(
      `${path}${separator}limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

/** A node by id, or else by its name. */
export async function findNode(api: Api, idOrName: string): Promise<any> {
  if (UUID.test(idOrName)) return api.get(`/v1/nodes/${idOrName}`);
  const node = (await all<{ name: string }>(api, '/v1/nodes')).find((item) => item.name === idOrName);
  if (!node) throw new CliError(`no node named ${idOrName}`, EXIT.notFound);
  return node;
}

/** A line by id, or else by its phone number (spaces and dashes ignored). */
export async function findLine(api: Api, idOrPhone: string): Promise<any> {
  if (UUID.test(idOrPhone)) return api.get(`/v1/lines/${idOrPhone}`);
  const phone = idOrPhone.replace(/[\s()-]/g, '');
  const line = (await all<{ phoneNumber: string }>(api, '/v1/lines')).find((item) => item.phoneNumber === phone);
  if (!line) throw new CliError(`no line with phone number ${idOrPhone}`, EXIT.notFound);
  return line;
}

export { all as listAll };
