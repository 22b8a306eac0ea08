import type { Clock } from '@sts/core';
import { type JwksNetworkPolicy, RemoteJwks } from '@sts/core/remote-jwks';
import type { DerivedKeys } from '@sts/crypto';
import type { Admin, AdminChange, Database } from '@sts/db';

/**
 * What the console's services work with, built once per server process from its environment
 * (the services never read it themselves).
 */
export interface ConsoleContext {
  db: Database;
  /** Seals the tenants' keys and hashes client secrets, as the STS does. */
  keys: Pick<DerivedKeys, 'keyEncryptionKey' | 'clientSecretPepper'>;
  /** STS_PUBLIC_URL: tenants' issuers are `<stsPublicUrl>/t/<id>`. */
  stsPublicUrl: string;
  /** The console's own URL: the simulator's test issuers live under it. */
  consoleUrl: string;
  /** http:// JWKS URIs on loopback addresses are accepted (local setups and tests only). */
  allowLoopbackHttpJwks: boolean;
  /** JWKS fetches may reach private networks (STS_JWKS_ALLOW_PRIVATE_NETWORKS). */
  allowPrivateNetworksJwks?: boolean;
  /**
   * STS_KEY_PREPUBLISH_SECONDS, as the STS has it: a rotated-in key signs this long after it is
   * published (decision 0020). Default 300.
   */
  keyPrepublishSeconds?: number;
  /** The simulator's JWKS cache, with the STS's limits. */
  remoteJwks: RemoteJwks;
  clock: Clock;
}

export function consoleContext(
  options: Omit<ConsoleContext, 'remoteJwks' | 'clock'> & { clock?: Clock },
): ConsoleContext {
  const clock = options.clock ?? Date.now;
  return {
    ...options,
    clock,
    remoteJwks: new RemoteJwks({ ...jwksNetworkPolicy(options), clock }),
  };
}

/** Which addresses the console's JWKS fetches may reach: the STS's policy. */
export function jwksNetworkPolicy(
  ctx: Pick<ConsoleContext, 'allowLoopbackHttpJwks' | 'allowPrivateNetworksJwks'>,
): JwksNetworkPolicy {
  return {
    allowLoopbackHttp: ctx.allowLoopbackHttpJwks,
    allowPrivateNetworks: ctx.allowPrivateNetworksJwks ?? false,
  };
}

/** The admin change a service records: who did what, where. */
export function changeBy(
  admin: Admin,
  action: string,
  where: Omit<AdminChange, 'actor' | 'action'> = {},
): AdminChange {
  return { actor: { id: admin.id, email: admin.email }, action, ...where };
}
