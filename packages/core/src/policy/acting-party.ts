import type { ExchangeClient, Tenant } from '../model';
import type { Actor } from '../validators/act';
import type { VerifiedToken } from '../validators/jwt';

/**
 * The party that would act (RFC 8693 §4.1): the actor token's subject, or, with no actor token,
 * the client itself under this tenant's issuer. What delegation records in `act`, what `may_act`
 * must name, and what the audit records as the presented actor.
 */
export function actingParty(
  actorToken: VerifiedToken | undefined,
  client: ExchangeClient,
  tenant: Tenant,
): Actor & { iss: string } {
  return actorToken
    ? { sub: actorToken.sub, iss: actorToken.issuer }
    : { sub: client.clientId, iss: tenant.issuer };
}
