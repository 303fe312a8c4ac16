import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { CreateKeyBody, Scope } from '@bridgefleet/contracts/keys.schema.js';
import { AuditRepository } from '../audit/audit.repository.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.schema.js';
import { PrismaService } from '../database/prisma.service.js';
import { NotFound } from '../http/problems.js';
import { generateApiKey, hashSecret, parseApiKey, secretMatches } from '@bridgefleet/contracts/api-key-format.js';
import { ApiKeyRepository } from './api-key.repository.js';
import type { Principal } from './principal.js';

type KeyRow = NonNullable<Awaited<ReturnType<ApiKeyRepository['findById']>>>;

// lastUsedAt is for humans; writing it on every request would put a row update
// on the hot path, so it is refreshed at most once a minute per key.
const TOUCH_INTERVAL_MS = 60_000;

export function toKeyView(row: KeyRow) {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scopes: row.scopes as Scope[],
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}

@Injectable()
export class ApiKeyService implements OnApplicationBootstrap {
  private readonly logger = new Logger('auth');
  private readonly touched = new Map<string, number>();

  constructor(
    private readonly keys: ApiKeyRepository,
    private readonly audit: AuditRepository,
    private readonly prisma: PrismaService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const key = this.config.BRIDGEFLEET_ADMIN_KEY;
    if (!key) return;
    const parsed = parseApiKey(key)!;
    await this.keys.upsertBootstrap({
      id: randomUUID(),
      name: 'bootstrap admin (BRIDGEFLEET_ADMIN_KEY)',
      prefix: parsed.prefix,
      secretHash: hashSecret(parsed.secret),
      scopes: ['admin'],
    });
    this.logger.log(`bootstrap admin key bf_${parsed.prefix}_… is active`);
  }

  /** Resolves a bearer key to a principal, or undefined for a malformed, unknown or revoked key. */
  async authenticate(key: string): Promise<Principal | undefined> {
    const parsed = parseApiKey(key);
    if (!parsed) return undefined;
    const row = await this.keys.findByPrefix(parsed.prefix);
    if (!row || row.revokedAt || !secretMatches(parsed.secret, row.secretHash)) return undefined;
    this.touch(row.id);
    return { keyId: row.id, keyName: row.name, scopes: row.scopes as Scope[], actor: `key:${row.id}` };
  }

  private touch(id: string): void {
    const now = Date.now();
    if (now - (this.touched.get(id) ?? 0) < TOUCH_INTERVAL_MS) return;
    this.touched.set(id, now);
    this.keys.touch(id, new Date(now)).catch(() => this.touched.delete(id));
  }

  async create(body: CreateKeyBody, by: Principal) {
    const generated = generateApiKey();
    const row = await this.prisma.$transaction(async (tx) => {
      const created = await this.keys.create(
        { id: randomUUID(), name: body.name, prefix: generated.prefix, secretHash: generated.secretHash, scopes: body.scopes },
        tx,
      );
      await this.audit.record(
        {
          actor: by.actor,
          action: 'key.create',
          targetType: 'api_key',
          targetId: created.id,
          detail: { name: body.name, scopes: body.scopes },
        },
        tx,
      );
      return created;
    });
    return { ...toKeyView(row), key: generated.key };
  }

  async list() {
    return (await this.keys.list()).map(toKeyView);
  }

  async revoke(id: string, by: Principal) {
    const row = await this.keys.findById(id);
    if (!row) throw new NotFound('API key', id);
    if (row.revokedAt) return toKeyView(row);
    const revoked = await this.prisma.$transaction(async (tx) => {
      const updated = await this.keys.revoke(id, new Date(), tx);
      await this.audit.record(
        { actor: by.actor, action: 'key.revoke', targetType: 'api_key', targetId: id, detail: { name: row.name } },
        tx,
      );
      return updated;
    });
    return toKeyView(revoked);
  }
}
