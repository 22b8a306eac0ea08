import { describe, expect, it } from 'vitest';
import type { AuditRecord } from '../src/repositories/audit-log';
import { useTempDatabase } from './temp-database';

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
  reason: 'subject_token.signature',
  errorDetail: 'subject_token: signature verification failed',
  trace: [],
};

describe('audit', () => {
  const temp = useTempDatabase();

  it('writes records that read back whole, newest first, per tenant', async () => {
    temp.now = Date.parse('2026-03-01T10:00:00.000Z');
    temp.db.audit.write(granted);
    temp.now += 1000;
    temp.db.audit.write(denied);
    temp.db.audit.write({ ...denied, tenantId: 'globex' });

    const page = await temp.db.audit.query('acme', {}, { limit: 10 });
    expect(page.items.map((e) => e.decision)).toEqual(['denied', 'granted']);
    const [newest, oldest] = await Promise.all(
      page.items.map((e) => temp.db.audit.get('acme', e.id)),
    );
    expect(newest).toEqual({
      ...denied,
      endpoint: 'token',
      id: expect.any(String),
      createdAt: new Date('2026-03-01T10:00:01.000Z'),
    });
    expect(oldest).toEqual({
      ...granted,
      endpoint: 'token',
      id: expect.any(String),
      createdAt: new Date('2026-03-01T10:00:00.000Z'),
    });
    expect((await temp.db.audit.query('globex', {}, { limit: 10 })).items).toHaveLength(1);
  });

  it('gives each record a ULID that sorts by time', () => {
    temp.now = Date.parse('2026-03-01T10:00:00.000Z');
    for (let i = 0; i < 5; i++, temp.now += 1) temp.db.audit.write(denied);

    const ids = temp.raw.prepare('SELECT id FROM audit_events ORDER BY created_at').pluck().all();
    for (const id of ids) expect(id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(5);
  });

  it('stores readable rows: snake_case columns, JSON text', () => {
    temp.db.audit.write(granted);
    temp.db.audit.write(denied);
    const rows = temp.raw
      .prepare(
        'SELECT decision, rule_id, actor_chain, granted_scope, error_code, reason FROM audit_events ORDER BY id',
      )
      .all();
    expect(rows).toEqual([
      {
        decision: 'granted',
        rule_id: 'orders',
        actor_chain: '[{"iss":"https://sts.example.com/t/acme","sub":"gateway"},{"sub":"batch"}]',
        granted_scope: 'orders:read',
        error_code: null,
        reason: null,
      },
      {
        decision: 'denied',
        rule_id: null,
        actor_chain: '[]',
        granted_scope: null,
        error_code: 'invalid_request',
        reason: 'subject_token.signature',
      },
    ]);
  });
});
