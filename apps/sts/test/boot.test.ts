/**
 * The real process (src/main.ts through tsx, as `pnpm --filter @sts/sts dev` runs it) at start-up: a bad configuration file
 * or environment stops it with a non-zero exit and a message naming the file, the path inside it
 * and the reason, before anything is written (ARCHITECTURE.md, Start-up); a good one serves.
 * Every spawn is bounded in time and killed by its own pid.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { storedRows } from '@sts/db/testing';
import { exportJWK, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const APP_DIR = fileURLToPath(new URL('..', import.meta.url));
const SPAWN_TIMEOUT_MS = 15_000;
const GATEWAY_SECRET = 'gateway-secret-0123456789abcdef0123456789';

let dir: string;
let databaseUrl: string;
let databasePath: string;
const masterKey = randomBytes(32).toString('base64');

interface Exited {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

type Env = Record<string, string | undefined>;

/**
 * The environment of a spawned STS: this one without STS_* (and INIT_CWD), plus `env`, where
 * `undefined` removes a variable.
 */
function childEnv(env: Env): NodeJS.ProcessEnv {
  const merged: Env = {
    ...process.env,
    INIT_CWD: undefined,
    ...Object.fromEntries(
      Object.keys(process.env)
        .filter((n) => n.startsWith('STS_'))
        .map((n) => [n, undefined]),
    ),
    STS_PORT: '0',
    STS_HOST: '127.0.0.1',
    STS_DATABASE_URL: databaseUrl,
    STS_MASTER_KEY: masterKey,
    // The start-up checks of one process (production.test.ts covers the supervisor).
    STS_WORKERS: '1',
    ...env,
  };
  return Object.fromEntries(Object.entries(merged).filter(([, v]) => v !== undefined));
}

function start(env: Env): { child: ChildProcess; exited: Promise<Exited> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: APP_DIR,
    env: childEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), SPAWN_TIMEOUT_MS);
  const exited = new Promise<Exited>((ok) =>
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      // Let the pipes drain.
      setImmediate(() => ok({ code, signal, stdout, stderr }));
    }),
  );
  return { child, exited };
}

/**
 * What a failed start said: exactly one JSON log line on stdout, at level fatal, and nothing on
 * stderr (decision 0021); its message.
 */
function fatalMessage(result: Exited): string {
  expect(result.stderr).toBe('');
  const lines = result.stdout.split('\n').filter(Boolean);
  expect(lines, result.stdout).toHaveLength(1);
  const line = JSON.parse(lines[0] as string) as Record<string, unknown>;
  expect(line).toMatchObject({ level: 'fatal', pid: expect.any(Number), time: expect.any(String) });
  // A message, not a stack trace.
  expect(line.err).toBeUndefined();
  return line.msg as string;
}

/** Runs the STS to its end (a failing start); fails if it is still running after the timeout. */
async function run(env: Env): Promise<Exited> {
  const result = await start(env).exited;
  expect(result.signal, `killed after ${SPAWN_TIMEOUT_MS} ms: ${result.stdout}`).toBeNull();
  return result;
}

/** Starts the STS and waits for the URL it prints. */
async function serve(env: Env): Promise<{ url: string; stop(): Promise<Exited> }> {
  const { child, exited } = start(env);
  const url = await new Promise<string>((ok, fail) => {
    let seen = '';
    child.stdout?.on('data', (chunk) => {
      seen += chunk;
      const match = /STS listening on (http:\/\/\S+)/.exec(seen);
      if (match?.[1]) ok(match[1]);
    });
    void exited.then((r) => fail(new Error(`exited ${r.code}: ${r.stderr}`)));
  });
  return {
    url,
    async stop() {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

function writeConfig(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** Every configuration row of the database, and the files beside it. */
async function snapshot() {
  const rows = (table: Parameters<typeof storedRows>[1]) => storedRows(databaseUrl, table);
  return {
    tenants: await rows('tenants'),
    clients: await rows('clients'),
    trustedIssuers: await rows('trusted_issuers'),
    rules: await rows('rules'),
    signingKeys: await rows('signing_keys'),
    configVersion: await rows('config_version'),
  };
}

const fileHash = (path: string) =>
  createHash('sha256').update(readFileSync(path)).digest('base64url');

const GOOD = (jwk: object) => `
tenants:
  - id: acme
    displayName: Acme
    clients:
      - clientId: gateway
        authMethod: client_secret_basic
        secretEnv: GATEWAY_SECRET
      - clientId: signer
        authMethod: private_key_jwt
        jwks: { keys: [${JSON.stringify(jwk)}] }
    trustedIssuers:
      - issuer: https://idp.example.test
        jwksUri: https://idp.example.test/jwks
        algorithms: [ES256]
        audiences: [https://sts.example.test]
    rules:
      - id: gw
        clients: [gateway]
        subjectIssuers: [https://idp.example.test]
        mode: delegation
        actors: [client]
        audiences: [https://orders.example.test]
`;

let good: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sts-boot-'));
  databasePath = join(dir, 'data', 'sts.db');
  databaseUrl = `file:${databasePath}`;
  const { publicKey } = await generateKeyPair('ES256', { extractable: true });
  good = GOOD({ ...(await exportJWK(publicKey)), kid: 'signer-1', alg: 'ES256' });
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('a good start', () => {
  it('prints its URL and answers /readyz; stops on SIGTERM', async () => {
    const sts = await serve({
      STS_CONFIG_FILE: writeConfig('good.yaml', good),
      GATEWAY_SECRET,
    });
    try {
      expect(sts.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const ready = await fetch(`${sts.url}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({ status: 'ready' });
      const metadata = await fetch(`${sts.url}/t/acme/.well-known/oauth-authorization-server`);
      expect(metadata.status).toBe(200);
    } finally {
      const exit = await sts.stop();
      expect(exit.code).toBe(0);
      expect(exit.stderr).toBe('');
      // Every line is a JSON object (decision 0021): the start, then one access line a request.
      const lines = exit.stdout
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(lines[0]).toMatchObject({ level: 'info', url: sts.url });
      expect(lines.filter((l) => l.msg === 'request').map((l) => [l.route, l.status])).toEqual([
        ['readyz', 200],
        ['metadata', 200],
      ]);
    }
  });
});

describe('a bad configuration file stops the start before anything is written', () => {
  const badFiles = (): {
    name: string;
    file: string;
    text: string;
    env?: Env;
    expected: RegExp[];
  }[] => [
    {
      name: 'a value outside its enum',
      file: 'bad-mode.yaml',
      text: good.replace('mode: delegation', 'mode: delegate'),
      expected: [/tenants\[0\]\.rules\[0\]\.mode: Choose one of: delegation, impersonation/],
    },
    {
      name: 'an unknown key',
      file: 'unknown-key.yaml',
      text: good.replace('    displayName: Acme\n', '    displayName: Acme\n    colour: blue\n'),
      expected: [/tenants\[0\]: Unrecognized key: "colour"/],
    },
    {
      name: 'several problems, all reported',
      file: 'several.yaml',
      text: good
        .replace('mode: delegation', 'mode: delegate')
        .replace('authMethod: client_secret_basic', 'authMethod: client_secret_jwt'),
      expected: [/tenants\[0\]\.rules\[0\]\.mode: /, /tenants\[0\]\.clients\[0\]\.authMethod: /],
    },
    {
      name: 'invalid YAML',
      file: 'invalid.yaml',
      text: 'tenants: [\n  - id: acme\n',
      expected: [/not valid YAML \(.+line 2, column 3/],
    },
    {
      name: 'invalid JSON',
      file: 'invalid.json',
      text: '{"tenants": [}',
      expected: [/not valid JSON \(/],
    },
    {
      name: 'a secretEnv naming an unset variable',
      file: 'secret-env.yaml',
      text: good,
      env: { GATEWAY_SECRET: undefined },
      expected: [/tenants\[0\]\.clients\[0\]\.secretEnv: /, /GATEWAY_SECRET is not set/],
    },
    {
      name: 'a secretEnv naming a variable that is too short',
      file: 'secret-env-short.yaml',
      text: good,
      env: { GATEWAY_SECRET: 'short' },
      expected: [
        /tenants\[0\]\.clients\[0\]\.secretEnv: .*GATEWAY_SECRET must be at least 32 characters/,
      ],
    },
    {
      name: 'a plain-http jwksUri off loopback',
      file: 'http-jwks.yaml',
      text: good.replace(
        'jwksUri: https://idp.example.test/jwks',
        'jwksUri: http://idp.example.test/jwks',
      ),
      expected: [/tenants\[0\]\.trustedIssuers\[0\]\.jwksUri: .*must use https/],
    },
  ];

  it('leaves an existing database as it was', async () => {
    // A good start first, so there is something to keep.
    const sts = await serve({ STS_CONFIG_FILE: writeConfig('good.yaml', good), GATEWAY_SECRET });
    expect((await sts.stop()).code).toBe(0);
    const before = await snapshot();
    expect(before.tenants).toHaveLength(1);
    expect(before.clients).toHaveLength(2);
    expect(before.rules).toHaveLength(1);
    const dataDir = join(dir, 'data');
    const files = readdirSync(dataDir).sort();
    const hashes = files.map((f) => fileHash(join(dataDir, f)));

    const cases = badFiles();
    const results = await Promise.all(
      cases.map(({ file, text, env }) =>
        run({ STS_CONFIG_FILE: writeConfig(file, text), GATEWAY_SECRET, ...env }),
      ),
    );
    for (const [i, { name, file, expected }] of cases.entries()) {
      const result = results[i] as Exited;
      expect(result.code, name).not.toBe(0);
      const message = fatalMessage(result);
      expect(message, name).toContain(`Config file ${join(dir, file)}`);
      for (const pattern of expected) expect(message, name).toMatch(pattern);
      expect(message, name).not.toMatch(/^\s+at /m);
    }

    expect(readdirSync(dataDir).sort()).toEqual(files);
    expect(files.map((f) => fileHash(join(dataDir, f)))).toEqual(hashes);
    expect(await snapshot()).toEqual(before);
  });

  it('creates nothing on a first start with a bad file', async () => {
    const fresh = join(dir, 'fresh');
    const result = await run({
      STS_CONFIG_FILE: writeConfig('fresh-bad.yaml', good.replace('mode: delegation', 'mode: x')),
      STS_DATABASE_URL: `file:${join(fresh, 'sts.db')}`,
      STS_MASTER_KEY: undefined,
      GATEWAY_SECRET,
    });
    expect(result.code).not.toBe(0);
    expect(fatalMessage(result)).toMatch(/tenants\[0\]\.rules\[0\]\.mode: /);
    // Neither the database nor a generated master key.
    expect(existsSync(fresh)).toBe(false);
  });

  it('names a missing file', async () => {
    const missing = join(dir, 'missing.yaml');
    const result = await run({ STS_CONFIG_FILE: missing });
    expect(result.code).not.toBe(0);
    expect(fatalMessage(result)).toContain(`Config file ${missing}: cannot be read`);
  });
});

describe('a bad environment stops the start with the variable’s name', () => {
  it.each([
    ['STS_PORT', 'abc'],
    ['STS_PORT', '70000'],
    ['STS_PUBLIC_URL', 'ftp://sts.example.test'],
    ['STS_CONFIG_POLL_MS', '5'],
    ['STS_ALLOW_LOOPBACK_HTTP_JWKS', 'yes'],
  ])('%s=%s', async (name, value) => {
    const result = await run({ [name]: value });
    expect(result.code).not.toBe(0);
    const message = fatalMessage(result);
    expect(message).toMatch(new RegExp(`^Invalid environment:\\n  ${name}: `));
    expect(message).not.toMatch(/^\s+at /m);
  });
});
