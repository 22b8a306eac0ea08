import { tenantEndpoints } from '@sts/core';
import type { ConsoleContext } from '../context';
import { testIssuerStatus, testIssuerUrl } from './test-issuer';
import type { SimulationClient, SimulatorOptions } from './types';

/** What the simulator page offers: the tenant's clients and rules, and its test issuer's state. */
export async function simulatorOptions(
  ctx: ConsoleContext,
  tenantId: string,
): Promise<SimulatorOptions> {
  const { tenant, clients } = await ctx.db.config.loadTenant(tenantId, ctx.stsPublicUrl);
  const endpoints = tenantEndpoints(ctx.stsPublicUrl, tenantId);
  return {
    clients: clients.map(
      ({ clientId, displayName, authMethod, allowTokenExchange, disabled }): SimulationClient => ({
        clientId,
        displayName,
        authMethod,
        allowTokenExchange,
        disabled,
      }),
    ),
    composeIssuers: [
      ...tenant.trustedIssuers.map((i) => ({
        issuer: i.issuer,
        kind: 'trusted' as const,
        audiences: i.audiences ?? [],
      })),
      { issuer: tenant.issuer, kind: 'self' as const, audiences: [] },
      { issuer: testIssuerUrl(ctx, tenantId), kind: 'test' as const, audiences: [] },
    ],
    rules: tenant.rules.map((r) => ({ id: r.id, disabled: r.disabled })),
    testIssuer: await testIssuerStatus(ctx, tenantId),
    tokenEndpoint: endpoints.tokenEndpoint,
    tenantIssuer: endpoints.issuer,
  };
}
