import pg from 'pg';
import { startControlPlane, type TestControlPlane } from './control-plane.js';
import { createNode } from './fleet-fixtures.js';

/**
 * A control plane with the API role only (no poller or workers changing nodes and lines
 * behind the assertions), a direct Postgres client for counting rows, and one node to put
 * lines on.
 */
export interface ApiOnlyFleet {
  cp: TestControlPlane;
  db: pg.Client;
  node: any;
  close(): Promise<void>;
}

export async function startApiOnlyFleet(): Promise<ApiOnlyFleet> {
  const cp = await startControlPlane({ ROLES: 'api' });
  const db = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
  try {
    await db.connect();
    const node = await createNode(cp);
    return {
      cp,
      db,
      node,
      async close() {
        await db.end();
        await cp.close();
      },
    };
  } catch (error) {
    await db.end().catch(() => undefined);
    await cp.close();
    throw error;
  }
}
