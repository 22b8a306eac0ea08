import { createSecretKey, randomBytes } from 'node:crypto';
import { type ClientConfig, type ConfigFile, ConfigFileSchema } from '@sts/core';
import { deriveKeys, generateKeyPair, hashClientSecret, verifyClientSecret } from '@sts/crypto';
import { describe, expect, it } from 'vitest';
import { NotFoundError, StoredDataError } from '../src/errors';
import { type TempDatabase, useTempDatabase } from './temp-database';

const { clientSecretPepper: pepper } = deriveKeys(createSecretKey(randomBytes(32)));
const GATEWAY_SECRET = 'gateway-secret-0123456789abcdefghijklmnop';
const NEW_GATEWAY_SECRET = 'gateway-secret-rotated-0123456789abcdefgh';
const SECRETS_ENV: Record<string, string> = {
  GLOBEX_SECRET: 'globex-secret-0123456789abcdefghijklmnopq',
};
const resolveSecret = (c: ClientConfig) => {
  const secret = c.secret ?? (c.secretEnv ? SECRETS_ENV[c.secretEnv] : undefined);
  if (!secret) throw new Error(`no secret for ${c.clientId}`);
  return secret;
};
const hashSecret = (c: ClientConfig) => hashClientSecret(pepper, resolveSecret(c));
const batchJwks = { keys: [generateKeyPair('ES256').publicJwk] };

/** The file: acme with two clients, two trusted issuers and two rules; globex with one client. */
function configFile(change: (file: ConfigFile) => void = () => {}): ConfigFile {
  const file = ConfigFileSchema.parse(fileInput());
  change(file);
  return file;
}

function fileInput() {
  return {
    tenants: [
      {
        id: 'acme',
        displayName: 'Acme',
        accessTokenTtlSeconds: 600,
        clients: [
          {
            clientId: 'gateway',
            displayName: 'API gateway',
            authMethod: 'client_secret_basic',
            secret: GATEWAY_SECRET,
          },
          { clientId: 'batch', authMethod: 'private_key_jwt', jwks: batchJwks, disabled: true },
        ],
        trustedIssuers: [
          {
            issuer: 'https://idp.example.com',
            jwksUri: 'https://idp.example.com/jwks',
            audiences: ['https://sts.example.com'],
            algorithms: ['RS256'],
          },
          {
            issuer: 'https://partner.example.net',
            jwks: batchJwks,
            algorithms: ['ES256'],
            anyAudience: true,
            accessTokenTyp: ['JWT', 'absent'],
          },
        ],
        rules: [
          {
            id: 'orders',
            clients: ['gateway'],
            subjectIssuers: ['https://idp.example.com'],
            mode: 'delegation',
            actors: ['client'],
            audiences: ['https://orders.example.com'],
            scopes: ['orders:read'],
          },
          {
            id: 'reports',
            clients: ['*'],
            subjectIssuers: ['https://partner.example.net'],
            mode: 'impersonation',
            audiencePrefixes: ['https://reports.example.com/'],
          },
        ],
      },
      {
        id: 'globex',
        displayName: 'Globex',
        signingAlg: 'EdDSA',
        clients: [
          { clientId: 'portal', authMethod: 'client_secret_post', secretEnv: 'GLOBEX_SECRET' },
        ],
      },
    ],
  };
}

/** Every configuration row, to compare the whole database before and after. */
async function dump(temp: TempDatabase) {
  const tables = ['tenants', 'clients', 'trusted_issuers', 'rules', 'config_version'];
  return Object.fromEntries(
    await Promise.all(
      tables.map(async (t) => [t, await temp.query(`SELECT * FROM "${t}" ORDER BY 1, 2`)]),
    ),
  );
}

describe('applyConfigFile / loadTenants', () => {
  const temp = useTempDatabase();

  it('stores a file and loads it back as the STS serves it', async () => {
    const file = configFile();
    expect(await temp.db.config.version()).toBe(0);
    expect((await temp.db.config.applyFile(file, hashSecret)).changed).toBe(true);
    expect(await temp.db.config.version()).toBeGreaterThan(0);

    const [acme, globex] = await temp.db.config.loadTenants('https://sts.example.com/');
    const acmeFile = file.tenants[0];
    expect(acme?.tenant).toEqual({
      id: 'acme',
      displayName: 'Acme',
      issuer: 'https://sts.example.com/t/acme',
      accessTokenTtlSeconds: 600,
      signingAlg: 'ES256',
      trustedIssuers: acmeFile?.trustedIssuers,
      rules: acmeFile?.rules,
    });
    expect(acme?.clients).toEqual([
      {
        clientId: 'batch',
        displayName: null,
        authMethod: 'private_key_jwt',
        jwks: batchJwks,
        allowTokenExchange: true,
        allowIntrospection: false,
        disabled: true,
      },
      {
        clientId: 'gateway',
        displayName: 'API gateway',
        authMethod: 'client_secret_basic',
        secretHash: expect.stringMatching(/^hmac-sha256\$/),
        allowTokenExchange: true,
        allowIntrospection: false,
        disabled: false,
      },
    ]);
    expect(globex?.tenant).toMatchObject({ id: 'globex', signingAlg: 'EdDSA', rules: [] });

    const gateway = acme?.clients.find((c) => c.clientId === 'gateway');
    const portal = globex?.clients[0];
    expect(verifyClientSecret(pepper, GATEWAY_SECRET, gateway?.secretHash ?? '')).toBe(true);
    expect(
      verifyClientSecret(pepper, SECRETS_ENV.GLOBEX_SECRET ?? '', portal?.secretHash ?? ''),
    ).toBe(true);
    const stored = JSON.stringify(await temp.rows('clients'));
    expect(stored).not.toContain(GATEWAY_SECRET);
  });

  it('is idempotent: the same file again writes nothing and keeps the version', async () => {
    await temp.db.config.applyFile(configFile(), hashSecret);
    const before = await dump(temp);
    const version = await temp.db.config.version();

    expect((await temp.db.config.applyFile(configFile(), hashSecret)).changed).toBe(false);
    expect(await dump(temp)).toEqual(before);
    expect(await temp.db.config.version()).toBe(version);
  });

  it('updates changed rows, removes what left the file, and keeps the file’s rule order', async () => {
    await temp.db.config.applyFile(configFile(), hashSecret);
    const version = await temp.db.config.version();

    const changed = configFile((file) => {
      const acme = file.tenants[0];
      if (!acme) throw new Error('fixture');
      acme.displayName = 'Acme Corp';
      acme.clients = acme.clients.filter((c) => c.clientId !== 'batch');
      acme.trustedIssuers = acme.trustedIssuers.slice(0, 1);
      acme.clients = acme.clients.map((c) => ({ ...c, secret: NEW_GATEWAY_SECRET }));
      acme.rules = [...acme.rules]
        .reverse()
        .map((r) => (r.id === 'reports' ? { ...r, clients: ['gateway'] } : r));
    });
    expect((await temp.db.config.applyFile(changed, hashSecret)).changed).toBe(true);
    expect(await temp.db.config.version()).toBeGreaterThan(version);

    const [acme] = await temp.db.config.loadTenants('https://sts.example.com');
    expect(acme?.tenant.displayName).toBe('Acme Corp');
    expect(acme?.clients.map((c) => c.clientId)).toEqual(['gateway']);
    const gatewayHash = acme?.clients[0]?.secretHash ?? '';
    expect(verifyClientSecret(pepper, NEW_GATEWAY_SECRET, gatewayHash)).toBe(true);
    expect(verifyClientSecret(pepper, GATEWAY_SECRET, gatewayHash)).toBe(false);
    expect(acme?.tenant.trustedIssuers.map((i) => i.issuer)).toEqual(['https://idp.example.com']);
    expect(acme?.tenant.rules.map((r) => [r.id, r.clients])).toEqual([
      ['reports', ['gateway']],
      ['orders', ['gateway']],
    ]);
    expect(await temp.query('SELECT rule_id, position FROM rules ORDER BY position')).toEqual([
      { rule_id: 'reports', position: 0 },
      { rule_id: 'orders', position: 1 },
    ]);
  });

  it('changes nothing when the file fails part-way (one transaction)', async () => {
    await temp.db.config.applyFile(configFile(), hashSecret);
    const before = await dump(temp);
    const version = await temp.db.config.version();

    // acme changes first; then globex's secret cannot be resolved.
    const failing = configFile((file) => {
      const [acme, globex] = file.tenants;
      if (!acme || !globex) throw new Error('fixture');
      acme.displayName = 'Renamed';
      acme.clients = [];
      acme.rules = [];
      globex.clients = [
        {
          clientId: 'portal',
          authMethod: 'client_secret_post',
          secretEnv: 'MISSING',
          allowTokenExchange: true,
          allowIntrospection: false,
          disabled: false,
        },
      ];
    });
    await expect(temp.db.config.applyFile(failing, hashSecret)).rejects.toThrow(
      'no secret for portal',
    );
    expect(await dump(temp)).toEqual(before);
    expect(await temp.db.config.version()).toBe(version);
  });

  it('leaves tenants that are not in the file, and takes over a console tenant it declares', async () => {
    const insert = (id: string, displayName: string) =>
      temp.query(
        `INSERT INTO tenants (id, display_name, access_token_ttl_seconds, signing_alg, source, created_at, updated_at)
         VALUES (?, ?, 300, 'ES256', 'console', '2026-01-01T00:00:00.000+00:00', '2026-01-01T00:00:00.000+00:00')`,
        [id, displayName],
      );
    await insert('initech', 'Initech');
    await insert('acme', 'Acme from the console');

    await temp.db.config.applyFile(configFile(), hashSecret);
    const sources = await temp.query('SELECT id, source FROM tenants ORDER BY id');
    expect(sources).toEqual([
      { id: 'acme', source: 'file' },
      { id: 'globex', source: 'file' },
      { id: 'initech', source: 'console' },
    ]);
    const tenants = await temp.db.config.loadTenants('https://sts.example.com');
    expect(tenants.map((t) => t.tenant.displayName)).toEqual(['Acme', 'Globex', 'Initech']);
  });

  it('refuses to load a stored rule that no longer validates', async () => {
    await temp.db.config.applyFile(configFile(), hashSecret);
    await temp.exec({
      sqlite: `UPDATE rules SET definition = json_set(definition, '$.mode', 'sideways') WHERE rule_id = 'orders'`,
      postgresql: `UPDATE rules SET definition = jsonb_set(definition::jsonb, '{mode}', '"sideways"')::text WHERE rule_id = 'orders'`,
    });

    const load = temp.db.config.loadTenants('https://sts.example.com');
    await expect(load).rejects.toThrow(StoredDataError);
    await expect(load).rejects.toThrow(
      /^tenant acme, rule orders: stored value is invalid \(mode: /,
    );
  });

  it('loads one tenant as it loads them all; NotFoundError for an unknown one', async () => {
    await temp.db.config.applyFile(configFile(), hashSecret);
    const all = await temp.db.config.loadTenants('https://sts.example.com');
    expect(await temp.db.config.loadTenant('globex', 'https://sts.example.com')).toEqual(all[1]);
    await expect(temp.db.config.loadTenant('nowhere', 'https://sts.example.com')).rejects.toThrow(
      NotFoundError,
    );
  });
});
