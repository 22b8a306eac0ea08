import { type RuleConfig, RuleSchema } from '@sts/core';
import { type AuditRecord, NotFoundError } from '@sts/db';
import { describe, expect, it } from 'vitest';
import { clientDetail, createClient, RECENT_EXCHANGES } from '../src/clients';
import { createRule } from '../src/rules';
import { createTenant } from '../src/tenants';
import { useConsole } from './helpers';

const t = useConsole();

const rule = (id: string, clients: string[], input: Record<string, unknown> = {}): RuleConfig =>
  RuleSchema.parse({
    id,
    clients,
    subjectIssuers: ['https://idp.example'],
    mode: 'delegation',
    actors: ['client'],
    audiences: ['https://orders.example'],
    scopes: ['orders:read'],
    ...input,
  });

/** An exchange attempt as the token endpoint records it. */
const attempt = (
  tenantId: string,
  clientId: string,
  decision: 'granted' | 'denied',
  subjectSub = 'alice',
): AuditRecord => ({
  tenantId,
  clientId,
  subjectIssuer: 'https://idp.example',
  subjectSub,
  actorChain: [],
  requestedAudiences: ['https://orders.example'],
  grantedAudiences: decision === 'granted' ? ['https://orders.example'] : [],
  decision,
  ruleId: decision === 'granted' ? 'gateway-orders' : undefined,
  errorCode: decision === 'denied' ? 'invalid_target' : undefined,
  reason: decision === 'denied' ? 'policy.target' : undefined,
  trace: [],
});

/** Two tenants with a client "gateway" each, and a bystander client in acme. */
async function twoTenants() {
  const owner = await t.tenant('acme');
  await createTenant(t.ctx, owner, {
    id: 'globex',
    displayName: 'globex',
    accessTokenTtlSeconds: 300,
    signingAlg: 'ES256',
  });
  for (const [tenantId, clientId] of [
    ['acme', 'gateway'],
    ['acme', 'batch'],
    ['globex', 'gateway'],
  ] as const)
    await createClient(t.ctx, owner, tenantId, {
      clientId,
      displayName: `${clientId} of ${tenantId}`,
      authMethod: 'client_secret_basic',
      allowTokenExchange: true,
    });
  return owner;
}

describe('clientDetail', () => {
  it('lists the rules that admit the client, by id or as "*", in evaluation order', async () => {
    const owner = await twoTenants();
    await createRule(t.ctx, owner, 'acme', rule('batch-only', ['batch']));
    await createRule(t.ctx, owner, 'acme', rule('gateway-orders', ['gateway', 'batch']));
    await createRule(t.ctx, owner, 'acme', rule('anyone', ['*'], { disabled: true }));
    await createRule(t.ctx, owner, 'globex', rule('globex-gateway', ['gateway']));

    const detail = await clientDetail(t.ctx, 'acme', 'gateway');
    expect(detail.client).toMatchObject({
      clientId: 'gateway',
      displayName: 'gateway of acme',
      authMethod: 'client_secret_basic',
      allowTokenExchange: true,
      disabled: false,
    });
    expect(detail.client).not.toHaveProperty('secretHash');
    expect(detail.rules).toEqual([
      {
        id: 'gateway-orders',
        position: 1,
        mode: 'delegation',
        disabled: false,
        listed: true,
        headline: expect.stringContaining('may get tokens for https://orders.example'),
      },
      expect.objectContaining({ id: 'anyone', position: 2, disabled: true, listed: false }),
    ]);
    expect(detail.rules[1]?.headline).toMatch(/^Any client of the tenant/);
  });

  it('has no last use and no exchanges before its first attempt', async () => {
    await twoTenants();
    const detail = await clientDetail(t.ctx, 'acme', 'gateway');
    expect(detail.lastUsedAt).toBeNull();
    expect(detail.recentExchanges).toEqual([]);
    expect(detail.rules).toEqual([]);
  });

  it('shows its latest attempts, granted or denied, newest first, and when it was last used', async () => {
    await twoTenants();
    const start = t.now;
    for (let i = 0; i < RECENT_EXCHANGES + 2; i++) {
      t.now = start + i * 60_000;
      await t.ctx.db.audit.write(
        attempt('acme', 'gateway', i % 2 ? 'denied' : 'granted', `user-${i}`),
      );
    }
    // Later attempts of another client, and of the same client id in another tenant.
    t.now = start + 3_600_000;
    await t.ctx.db.audit.write(attempt('acme', 'batch', 'granted', 'bystander'));
    await t.ctx.db.audit.write(attempt('globex', 'gateway', 'granted', 'globex-user'));

    const detail = await clientDetail(t.ctx, 'acme', 'gateway');
    const last = RECENT_EXCHANGES + 1;
    expect(detail.lastUsedAt).toEqual(new Date(start + last * 60_000));
    expect(detail.recentExchanges).toHaveLength(RECENT_EXCHANGES);
    expect(detail.recentExchanges.map((e) => e.subjectSub)).toEqual(
      Array.from({ length: RECENT_EXCHANGES }, (_, i) => `user-${last - i}`),
    );
    expect(detail.recentExchanges[0]).toMatchObject({
      clientId: 'gateway',
      decision: 'denied',
      errorCode: 'invalid_target',
      reason: 'policy.target',
    });
    expect(detail.recentExchanges[1]).toMatchObject({
      decision: 'granted',
      ruleId: 'gateway-orders',
    });
    expect(detail.recentExchanges[0]?.id).toMatch(/^[0-9A-Z]{26}$/);
    // Summaries only: the trace and the precise error detail stay on the event's own page.
    expect(detail.recentExchanges[0]).not.toHaveProperty('trace');
    expect(detail.recentExchanges[0]).not.toHaveProperty('errorDetail');
  });

  it('never shows another tenant: its client, rules or attempts', async () => {
    const owner = await twoTenants();
    await createClient(t.ctx, owner, 'globex', {
      clientId: 'globex-only',
      authMethod: 'client_secret_post',
      allowTokenExchange: true,
    });
    await createRule(t.ctx, owner, 'globex', rule('globex-any', ['*']));
    await t.ctx.db.audit.write(attempt('globex', 'gateway', 'granted', 'globex-user'));

    const detail = await clientDetail(t.ctx, 'acme', 'gateway');
    expect(detail.client.displayName).toBe('gateway of acme');
    expect(detail.rules).toEqual([]);
    expect(detail.recentExchanges).toEqual([]);
    expect(detail.lastUsedAt).toBeNull();
    expect(JSON.stringify(detail)).not.toContain('globex');

    await expect(clientDetail(t.ctx, 'acme', 'globex-only')).rejects.toThrow(NotFoundError);
    await expect(clientDetail(t.ctx, 'acme', 'nobody')).rejects.toMatchObject({
      entity: 'client',
    });
    await expect(clientDetail(t.ctx, 'nowhere', 'gateway')).rejects.toThrow(NotFoundError);
  });
});
