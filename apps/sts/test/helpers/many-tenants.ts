/**
 * Many tenants, for the reload latency test and bench/many-tenants.ts: a configuration of `count`
 * tenants of 5 clients, 2 trusted issuers (inline keys) and 5 rules each, applied at the STS's
 * start (one applyFile transaction), and a latency sampler for one tenant route.
 */
import { generateKeyPairSync } from 'node:crypto';
import { Agent, request } from 'node:http';

export const MANY_TENANTS_SECRET = 'many-tenants-secret-0123456789abcdef0123';

/** tenant-00000, tenant-00001, … (sorted as numbered). */
export const tenantId = (i: number) => `tenant-${String(i).padStart(5, '0')}`;

export function manyTenantsConfig(count: number) {
  const publicJwk = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({
    format: 'jwk',
  });
  const issuers = [0, 1].map((i) => ({
    issuer: `https://idp-${i}.example.test`,
    jwks: { keys: [{ ...publicJwk, kid: `idp-${i}`, alg: 'ES256', use: 'sig' }] },
    audiences: ['sts'],
    algorithms: ['ES256'],
  }));
  const clients = [0, 1, 2, 3, 4].map((i) => ({
    clientId: `client-${i}`,
    authMethod: 'client_secret_basic',
    secret: MANY_TENANTS_SECRET,
  }));
  const rules = [0, 1, 2, 3, 4].map((i) => ({
    id: `rule-${i}`,
    clients: [`client-${i}`],
    subjectIssuers: [issuers[i % 2]?.issuer],
    mode: 'delegation',
    actors: ['client'],
    audiences: [`https://api-${i}.example.test`],
    scopes: ['read'],
  }));
  return {
    tenants: Array.from({ length: count }, (_, i) => ({
      id: tenantId(i),
      displayName: `Tenant ${i}`,
      clients,
      trustedIssuers: issuers,
      rules,
    })),
  };
}

/**
 * Requests `url` one after another (one keep-alive connection) for `ms` milliseconds; returns each
 * latency in milliseconds. Fails on any answer but 200.
 */
export async function sampleLatency(url: string, ms: number, agent: Agent): Promise<number[]> {
  const samples: number[] = [];
  const end = performance.now() + ms;
  while (performance.now() < end) {
    const start = performance.now();
    const status = await new Promise<number | undefined>((ok, fail) => {
      request(url, { agent }, (res) => {
        res.resume();
        res.on('end', () => ok(res.statusCode));
      })
        .on('error', fail)
        .end();
    });
    if (status !== 200) throw new Error(`${url} answered ${status}`);
    samples.push(performance.now() - start);
  }
  return samples;
}

export const keepAlive = () => new Agent({ keepAlive: true, maxSockets: 1 });

/** The q-quantile (0..1) of `values`. */
export function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}
