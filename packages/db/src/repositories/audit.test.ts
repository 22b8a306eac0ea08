import { describe, expect, it } from 'vitest';
import { useTempDatabase } from '../test/temp-database';
import { type AuditRecord, createAuditWriter, listAudit } from './audit';

const granted: AuditRecord = {
  tenantId: 'acme',
  clientId: 'gateway',
  subjectIssuer: 'https://idp.example.com',
  subjectSub: 'alice',
  actorChain: [{ iss: 'https://sts.example.com/t/acme', sub: 'gateway' }, { sub: 'batch' }],
  requestedAudiences: ['https://orders.example.com'],
  requestedScope: 'orders:read admin',
  grantedAudiences: ['https://orders.example.com'],
  grantedScope: 'orders:read',
  decision: 'granted',
  ruleId: 'orders',
  jti: 'jti-1',
  trace: [
    { step: 'rule:orders', check: 'scope', outcome: 'pass', message: 'narrowed to orders:read' },
  ],
};

const denied: AuditRecord = {
  tenantId: 'acme',
  actorChain: [],
  requestedAudiences: [],
  grantedAudiences: [],
  decision: 'denied',
  errorCode: 'invalid_request',
  errorDetail: 'subject_token: signature verification failed',
  trace: [],
};

describe('audit', () => {
  const temp = useTempDatabase();

  it('writes records that list back newest first, per tenant', async () => {
    let now = Date.parse('2026-03-01T10:00:00.000Z');
    const audit = createAuditWriter(temp.db, () => now);
    audit.write(granted);
    now += 1000;
    audit.write(denied);
    audit.write({ ...denied, tenantId: 'globex' });

    const events = await listAudit(temp.db, 'acme', { limit: 10 });
    expect(events).toEqual([
      { ...denied, id: expect.any(String), createdAt: new Date('2026-03-01T10:00:01.000Z') },
      { ...granted, id: expect.any(String), createdAt: new Date('2026-03-01T10:00:00.000Z') },
    ]);
    expect(await listAudit(temp.db, 'acme', { limit: 1 })).toHaveLength(1);
    expect(await listAudit(temp.db, 'globex', { limit: 10 })).toHaveLength(1);
  });

  it('gives each record a ULID that sorts by time', () => {
    let now = Date.parse('2026-03-01T10:00:00.000Z');
    const audit = createAuditWriter(temp.db, () => now);
    for (let i = 0; i < 5; i++, now += 1) audit.write(denied);

    const ids = temp.db.sqlite
      .prepare('SELECT id FROM audit_events ORDER BY created_at')
      .pluck()
      .all();
    for (const id of ids) expect(id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(5);
  });

  it('stores readable rows: snake_case columns, JSON text', () => {
    createAuditWriter(temp.db).write(granted);
    const row = temp.db.sqlite
      .prepare('SELECT decision, rule_id, actor_chain, granted_scope FROM audit_events')
      .get();
    expect(row).toEqual({
      decision: 'granted',
      rule_id: 'orders',
      actor_chain: '[{"iss":"https://sts.example.com/t/acme","sub":"gateway"},{"sub":"batch"}]',
      granted_scope: 'orders:read',
    });
  });
});
