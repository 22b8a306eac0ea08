/**
 * Token endpoint throughput against the raw crypto ceiling, measured in one run.
 *
 *   pnpm --filter @sts/sts bench [-- --seconds 10 --concurrency 32 --workers 1]
 *
 * 1. The ceiling: one ES256 verify + one ES256 sign through jose, sequentially on one core —
 *    the crypto every exchange must do.
 * 2. The STS in a child process (the compiled entry, dist/main.js, with STS_WORKERS=--workers;
 *    real SQLite, audit on, rate limits off), loaded over loopback HTTP with keep-alive by this
 *    process. Prints requests/s, latency percentiles and the ratio.
 * The load generator shares the machine with the server: compare ratios, not absolute figures.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { exportJWK, generateKeyPair, jwtVerify, SignJWT } from 'jose';

const { values } = parseArgs({
  // pnpm passes the `--` of `pnpm bench -- --seconds 5` on.
  args: process.argv.slice(2).filter((arg) => arg !== '--'),
  options: {
    seconds: { type: 'string', default: '10' },
    concurrency: { type: 'string', default: '32' },
    workers: { type: 'string', default: '1' },
  },
});
const seconds = Number(values.seconds);
const concurrency = Number(values.concurrency);
const SECRET = 'bench-secret-0123456789abcdef0123456789';
const ISSUER = 'https://idp.bench.test';

async function cryptoCeiling(): Promise<number> {
  const idp = await generateKeyPair('ES256');
  const own = await generateKeyPair('ES256');
  const token = await new SignJWT({ sub: 'alice' })
    .setProtectedHeader({ alg: 'ES256' })
    .setIssuer(ISSUER)
    .setExpirationTime('1h')
    .sign(idp.privateKey);
  const end = Date.now() + 3000;
  let pairs = 0;
  while (Date.now() < end) {
    await jwtVerify(token, idp.publicKey, { algorithms: ['ES256'] });
    await new SignJWT({ sub: 'alice' }).setProtectedHeader({ alg: 'ES256' }).sign(own.privateKey);
    pairs++;
  }
  return pairs / 3;
}

async function startSts(dir: string, jwks: unknown): Promise<{ child: ChildProcess; url: string }> {
  const config = {
    tenants: [
      {
        id: 'bench',
        displayName: 'Bench',
        clients: [{ clientId: 'gw', authMethod: 'client_secret_basic', secret: SECRET }],
        trustedIssuers: [{ issuer: ISSUER, jwks, algorithms: ['ES256'], anyAudience: true }],
        rules: [
          {
            id: 'gw',
            clients: ['gw'],
            subjectIssuers: [ISSUER],
            mode: 'delegation',
            actors: ['client'],
            audiences: ['https://api.bench.test'],
            scopes: ['read', 'write'],
          },
        ],
      },
    ],
  };
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
  const child = spawn(process.execPath, ['dist/main.js'], {
    cwd: new URL('..', import.meta.url),
    env: {
      ...process.env,
      STS_PORT: '0',
      STS_DATABASE_URL: `file:${join(dir, 'sts.db')}`,
      STS_CONFIG_FILE: join(dir, 'config.json'),
      STS_MASTER_KEY: randomBytes(32).toString('base64'),
      STS_WORKERS: values.workers,
      STS_RATE_LIMIT_PER_ADDRESS: '0',
      STS_RATE_LIMIT_PER_CLIENT: '0',
      INIT_CWD: dir,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((ok, fail) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      const match = /listening on (\S+)/.exec(chunk.toString());
      if (match?.[1]) ok(match[1]);
    });
    child.once('exit', (code) => fail(new Error(`STS exited with ${code}`)));
  });
  return { child, url };
}

async function load(
  url: string,
  body: string,
): Promise<{ ok: number; failed: number; latencies: number[] }> {
  const auth = `Basic ${Buffer.from(`gw:${SECRET}`).toString('base64')}`;
  const end = Date.now() + seconds * 1000;
  const latencies: number[] = [];
  let ok = 0;
  let failed = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < end) {
        const start = performance.now();
        const res = await fetch(url, {
          method: 'POST',
          headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' },
          body,
        });
        await res.arrayBuffer();
        latencies.push(performance.now() - start);
        if (res.status === 200) ok++;
        else failed++;
      }
    }),
  );
  return { ok, failed, latencies: latencies.sort((a, b) => a - b) };
}

const dir = mkdtempSync(join(tmpdir(), 'sts-bench-'));
let child: ChildProcess | undefined;
try {
  const ceiling = await cryptoCeiling();
  const idp = await generateKeyPair('ES256');
  const jwks = { keys: [{ ...(await exportJWK(idp.publicKey)), kid: 'k1', alg: 'ES256' }] };
  const subject = await new SignJWT({ sub: 'alice', scope: 'read write' })
    .setProtectedHeader({ alg: 'ES256', kid: 'k1', typ: 'at+jwt' })
    .setIssuer(ISSUER)
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(idp.privateKey);
  const sts = await startSts(dir, jwks);
  child = sts.child;
  const body = new URLSearchParams({
    grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
    subject_token: subject,
    subject_token_type: 'urn:ietf:params:oauth:token-type:access_token',
    audience: 'https://api.bench.test',
    scope: 'read',
  }).toString();
  await load(`${sts.url}/t/bench/token`, body); // warm-up: JIT, JWKS and key caches
  const result = await load(`${sts.url}/t/bench/token`, body);
  const rps = result.ok / seconds;
  const pct = (p: number) =>
    result.latencies[Math.floor((result.latencies.length - 1) * p)]?.toFixed(1);
  console.log(`crypto ceiling (jose ES256 verify+sign, 1 core): ${ceiling.toFixed(0)} pairs/s`);
  console.log(
    `token endpoint: ${rps.toFixed(0)} exchanges/s (${result.ok} ok, ${result.failed} failed in ${seconds}s, concurrency ${concurrency}, ${values.workers} worker(s))`,
  );
  console.log(`latency ms: p50 ${pct(0.5)}  p90 ${pct(0.9)}  p99 ${pct(0.99)}`);
  console.log(`ratio STS / crypto ceiling: ${(rps / ceiling).toFixed(2)}`);
} finally {
  child?.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}
