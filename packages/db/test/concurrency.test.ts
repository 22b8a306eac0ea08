import { describe, expect, it } from 'vitest';
import type { AuditRecord } from '../src/repositories/audit-log';
import { addTenant, makeKey } from './fixtures';
import { useTempDatabase } from './temp-database';

const t = useTempDatabase();

const denied = (tenantId: string): AuditRecord => ({
  tenantId,
  actorChain: [],
  requestedAudiences: [],
  grantedAudiences: [],
  decision: 'denied',
  trace: [],
});

/**
 * One process runs several write transactions at once: an STS commits audit records while its
 * key lifecycle runs and client assertions are marked used. Each one commits, whatever the
 * interleaving (on SQLite they share the process's one connection, and wait for each other).
 */
describe('concurrent writes on one database handle', () => {
  it('all commit: audit records, signing keys and used jtis', async () => {
    const tenants = ['acme', 'globex', 'initech', 'umbrella'];
    for (const id of tenants) {
      await addTenant(t.db, id);
      await t.db.signingKeys.ensureActive(id, 'ES256', makeKey(id));
    }

    const results = await Promise.allSettled(
      tenants.flatMap((id, i) => [
        t.db.audit.write(denied(id)),
        t.db.audit.write(denied(id)),
        t.db.replay.markUsed(id, 'gateway', `jti-${i}`, t.now + 60_000),
        t.db.signingKeys
          .rotate(id, makeKey(id), { prepublishMs: 0 })
          .then(() => t.db.signingKeys.advanceLifecycle(id, { now: t.now, clockSkewSeconds: 0 })),
        t.db.audit.write(denied(id)),
      ]),
    );

    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(await t.rows('audit_events')).toHaveLength(3 * tenants.length);
    expect(await t.rows('used_jtis')).toHaveLength(tenants.length);
    for (const id of tenants) {
      const statuses = (await t.db.signingKeys.listUsable(id)).map((k) => k.status).sort();
      expect(statuses).toEqual(['active', 'retiring']);
    }
  });
});
