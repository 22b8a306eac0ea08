import { verifyClientSecret } from '@sts/crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RouterTestDb, routerTestDb } from './helpers/context';

let t: RouterTestDb;
let owner: Awaited<ReturnType<RouterTestDb['admin']>>;
beforeAll(async () => {
  t = await routerTestDb();
  owner = await t.admin('owner');
  for (const id of ['acme', 'globex'])
    await t.as(owner).tenant.create({
      id,
      displayName: id,
      accessTokenTtlSeconds: 300,
      signingAlg: 'ES256',
    });
});
afterAll(async () => {
  await t?.close();
});

const PUBLIC_JWK = {
  kty: 'EC',
  crv: 'P-256',
  x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU',
  y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0',
  kid: 'client-key-1',
  alg: 'ES256',
};

/** The client as stored, as the STS loads it (with its secret hash), or null. */
const row = async (tenantId: string, clientId: string) =>
  (await t.console.db.config.loadTenant(tenantId, 'https://sts.example.test')).clients.find(
    (c) => c.clientId === clientId,
  ) ?? null;
/** The admin actions on `target`, oldest first (every one of the tenant without a target). */
const actions = async (tenantId: string, target?: string) =>
  (await t.console.db.adminActions.list(tenantId, { limit: 1000 })).items
    .filter((a) => target === undefined || a.target === target)
    .reverse();
const configVersion = async () => t.console.db.config.version();

describe('client router (real database)', () => {
  it('creates a secret client: the secret is returned once and only its hash is stored', async () => {
    const before = await configVersion();
    const created = await t.as(owner).client.create({
      tenantId: 'acme',
      clientId: 'gateway',
      displayName: 'API gateway',
      authMethod: 'client_secret_basic',
      allowTokenExchange: true,
    });
    expect(created.clientId).toBe('gateway');
    const secret = created.secret ?? '';
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const stored = await row('acme', 'gateway');
    expect(stored?.secretHash).toBeTruthy();
    expect(stored?.secretHash).not.toBe(secret);
    expect(stored?.secretHash).not.toContain(secret);
    expect(
      verifyClientSecret(t.console.keys.clientSecretPepper, secret, stored?.secretHash ?? ''),
    ).toBe(true);
    expect(await configVersion()).toBe(before + 1);

    // The listing holds neither the secret nor its hash.
    const listed = await t.as(owner).client.list({ tenantId: 'acme' });
    const gateway = listed.find((c) => c.clientId === 'gateway');
    expect(gateway).toMatchObject({
      clientId: 'gateway',
      displayName: 'API gateway',
      authMethod: 'client_secret_basic',
      allowTokenExchange: true,
      disabled: false,
    });
    expect(gateway).not.toHaveProperty('secretHash');
    const text = JSON.stringify(listed);
    expect(text).not.toContain(secret);
    expect(text).not.toContain(stored?.secretHash ?? '');

    const [action] = await actions('acme', 'gateway');
    expect(action).toMatchObject({ action: 'client.create', actorEmail: owner.email });
    expect(JSON.stringify(action?.details)).not.toContain(secret);
    expect(JSON.stringify(action?.details)).not.toContain(stored?.secretHash ?? '');
  });

  it('rotates a secret: a new one, returned once; the old one stops verifying', async () => {
    const { secret: first } = await t.as(owner).client.create({
      tenantId: 'acme',
      clientId: 'rotating',
      authMethod: 'client_secret_post',
      allowTokenExchange: true,
    });
    const { secret } = await t.as(owner).client.rotateSecret({
      tenantId: 'acme',
      clientId: 'rotating',
    });
    expect(secret).not.toBe(first);
    const hash = (await row('acme', 'rotating'))?.secretHash ?? '';
    expect(hash).not.toContain(secret);
    expect(verifyClientSecret(t.console.keys.clientSecretPepper, secret, hash)).toBe(true);
    expect(verifyClientSecret(t.console.keys.clientSecretPepper, first ?? '', hash)).toBe(false);
    const recorded = await actions('acme', 'rotating');
    expect(recorded.map((a) => a.action)).toEqual(['client.create', 'client.rotate_secret']);
    expect(recorded.every((a) => !JSON.stringify(a.details).includes(secret))).toBe(true);
  });

  it('creates private_key_jwt clients with keys and no secret; they have none to rotate', async () => {
    const created = await t.as(owner).client.create({
      tenantId: 'acme',
      clientId: 'signer',
      authMethod: 'private_key_jwt',
      jwks: { keys: [PUBLIC_JWK] },
      allowTokenExchange: false,
    });
    expect(created.secret).toBeNull();
    const stored = await row('acme', 'signer');
    expect(stored?.secretHash).toBeUndefined();
    expect(stored?.jwks).toEqual({ keys: [PUBLIC_JWK] });
    const listed = (await t.as(owner).client.list({ tenantId: 'acme' })).find(
      (c) => c.clientId === 'signer',
    );
    expect(listed).toMatchObject({ jwks: { keys: [PUBLIC_JWK] }, jwksUri: null });
    await expect(
      t.as(owner).client.rotateSecret({ tenantId: 'acme', clientId: 'signer' }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });

    const uri = await t.as(owner).client.create({
      tenantId: 'acme',
      clientId: 'signer-uri',
      authMethod: 'private_key_jwt',
      jwksUri: 'https://keys.example.test/jwks.json',
      allowTokenExchange: true,
    });
    expect(uri.secret).toBeNull();
    expect((await row('acme', 'signer-uri'))?.jwksUri).toBe('https://keys.example.test/jwks.json');
  });

  it('changes the auth method: a secret generated once when needed, dropped for private_key_jwt', async () => {
    await t.as(owner).client.create({
      tenantId: 'acme',
      clientId: 'switcher',
      authMethod: 'private_key_jwt',
      jwksUri: 'https://keys.example.test/jwks.json',
      allowTokenExchange: true,
    });

    // private_key_jwt → client_secret_basic: a new secret, once; the keys are cleared.
    const toSecret = await t.as(owner).client.setAuthMethod({
      tenantId: 'acme',
      clientId: 'switcher',
      authMethod: 'client_secret_basic',
    });
    const secret = toSecret.secret ?? '';
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    let stored = await row('acme', 'switcher');
    expect(stored).toMatchObject({
      authMethod: 'client_secret_basic',
      jwks: undefined,
      jwksUri: undefined,
    });
    expect(
      verifyClientSecret(t.console.keys.clientSecretPepper, secret, stored?.secretHash ?? ''),
    ).toBe(true);

    // basic → post: the same secret stays valid, none is generated.
    const toPost = await t.as(owner).client.setAuthMethod({
      tenantId: 'acme',
      clientId: 'switcher',
      authMethod: 'client_secret_post',
    });
    expect(toPost.secret).toBeNull();
    stored = await row('acme', 'switcher');
    expect(stored?.authMethod).toBe('client_secret_post');
    expect(
      verifyClientSecret(t.console.keys.clientSecretPepper, secret, stored?.secretHash ?? ''),
    ).toBe(true);

    // To private_key_jwt: keys are required, and the secret's hash goes.
    await expect(
      t.as(owner).client.setAuthMethod({
        tenantId: 'acme',
        clientId: 'switcher',
        authMethod: 'private_key_jwt',
      }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect((await row('acme', 'switcher'))?.authMethod).toBe('client_secret_post');
    await t.as(owner).client.setAuthMethod({
      tenantId: 'acme',
      clientId: 'switcher',
      authMethod: 'private_key_jwt',
      jwks: { keys: [PUBLIC_JWK] },
    });
    stored = await row('acme', 'switcher');
    expect(stored).toMatchObject({ authMethod: 'private_key_jwt', secretHash: undefined });

    const recorded = await actions('acme', 'switcher');
    expect(recorded.map((a) => a.action)).toEqual([
      'client.create',
      'client.update',
      'client.update',
      'client.update',
    ]);
    expect(recorded.every((a) => !JSON.stringify(a.details).includes(secret))).toBe(true);
  });

  it('updates, disables, enables and deletes, recording each action', async () => {
    await t.as(owner).client.create({
      tenantId: 'acme',
      clientId: 'lifecycle',
      authMethod: 'client_secret_basic',
      allowTokenExchange: true,
    });
    await t.as(owner).client.update({
      tenantId: 'acme',
      clientId: 'lifecycle',
      displayName: 'Renamed',
      allowTokenExchange: false,
    });
    expect(await row('acme', 'lifecycle')).toMatchObject({
      displayName: 'Renamed',
      allowTokenExchange: false,
    });
    await t
      .as(owner)
      .client.setEnabled({ tenantId: 'acme', clientId: 'lifecycle', enabled: false });
    expect((await row('acme', 'lifecycle'))?.disabled).toBe(true);
    await t.as(owner).client.setEnabled({ tenantId: 'acme', clientId: 'lifecycle', enabled: true });
    expect((await row('acme', 'lifecycle'))?.disabled).toBe(false);
    await t.as(owner).client.delete({ tenantId: 'acme', clientId: 'lifecycle' });
    expect(await row('acme', 'lifecycle')).toBeNull();
    expect((await actions('acme', 'lifecycle')).map((a) => a.action)).toEqual([
      'client.create',
      'client.update',
      'client.disable',
      'client.enable',
      'client.delete',
    ]);
  });

  it('answers NOT_FOUND for an unknown client and CONFLICT for a duplicate id', async () => {
    const ref = { tenantId: 'acme', clientId: 'nobody' };
    await expect(
      t.as(owner).client.update({ ...ref, allowTokenExchange: true }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(t.as(owner).client.rotateSecret(ref)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(
      t.as(owner).client.setAuthMethod({ ...ref, authMethod: 'client_secret_basic' }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(t.as(owner).client.setEnabled({ ...ref, enabled: false })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(t.as(owner).client.delete(ref)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(
      t.as(owner).client.create({
        tenantId: 'no-such-tenant',
        clientId: 'x',
        authMethod: 'client_secret_basic',
        allowTokenExchange: true,
      }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });

    const input = {
      tenantId: 'acme',
      clientId: 'twice',
      authMethod: 'client_secret_basic' as const,
      allowTokenExchange: true,
    };
    await t.as(owner).client.create(input);
    const hash = (await row('acme', 'twice'))?.secretHash;
    await expect(t.as(owner).client.create(input)).rejects.toMatchObject({ code: 'CONFLICT' });
    expect((await row('acme', 'twice'))?.secretHash).toBe(hash);
    expect(await actions('acme', 'nobody')).toEqual([]);
  });

  it('validates with the configuration rules and saves nothing on bad input', async () => {
    const base = {
      tenantId: 'acme',
      authMethod: 'client_secret_basic' as const,
      allowTokenExchange: true,
    };
    const bad: [string, Record<string, unknown>][] = [
      ['has space', { clientId: 'has space' }],
      ['x'.repeat(129), { clientId: 'x'.repeat(129) }],
      ['chosen-secret', { clientId: 'chosen-secret', secret: 'x'.repeat(40) }],
      ['no-keys', { clientId: 'no-keys', authMethod: 'private_key_jwt' }],
      [
        'both-keys',
        {
          clientId: 'both-keys',
          authMethod: 'private_key_jwt',
          jwks: { keys: [PUBLIC_JWK] },
          jwksUri: 'https://keys.example.test/jwks.json',
        },
      ],
      [
        'private-key',
        {
          clientId: 'private-key',
          authMethod: 'private_key_jwt',
          jwks: { keys: [{ ...PUBLIC_JWK, d: 'secret-part' }] },
        },
      ],
      ['secret-with-keys', { clientId: 'secret-with-keys', jwks: { keys: [PUBLIC_JWK] } }],
      [
        'plain-http',
        {
          clientId: 'plain-http',
          authMethod: 'private_key_jwt',
          jwksUri: 'http://keys.example.test/jwks.json',
        },
      ],
      [
        // Loopback http only with STS_ALLOW_LOOPBACK_HTTP_JWKS=true (unset here).
        'loopback-http',
        {
          clientId: 'loopback-http',
          authMethod: 'private_key_jwt',
          jwksUri: 'http://127.0.0.1:9/jwks.json',
        },
      ],
      ['bad-method', { clientId: 'bad-method', authMethod: 'none' }],
      ['long-name', { clientId: 'long-name', displayName: 'n'.repeat(201) }],
    ];
    const before = await configVersion();
    for (const [clientId, fields] of bad) {
      await expect(
        // biome-ignore lint/suspicious/noExplicitAny: deliberately invalid input
        t.as(owner).client.create({ ...base, ...fields } as any),
        clientId,
      ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
      expect(await row('acme', clientId), clientId).toBeNull();
    }
    expect(await configVersion()).toBe(before);
    const targets = bad.map(([id]) => id);
    expect((await actions('acme')).filter((a) => targets.includes(a.target ?? ''))).toEqual([]);
  });

  it('reports field errors a form can show', async () => {
    const err = await t
      .as(owner)
      .client.create({
        tenantId: 'acme',
        clientId: 'keyless',
        authMethod: 'private_key_jwt',
        allowTokenExchange: true,
      })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'BAD_REQUEST' });
    const issues = (err as { cause?: { issues?: { path: unknown[] }[] } }).cause?.issues ?? [];
    expect(issues.map((i) => i.path.join('.'))).toContain('jwks');
  });

  it('scopes tenant admins to their tenants and keeps viewers read-only', async () => {
    await t.as(owner).client.create({
      tenantId: 'globex',
      clientId: 'theirs',
      authMethod: 'client_secret_basic',
      allowTokenExchange: true,
    });
    const acmeAdmin = await t.admin('tenant_admin', ['acme']);
    const viewer = await t.admin('viewer', ['globex']);
    const theirs = { tenantId: 'globex', clientId: 'theirs' };
    const hash = (await row('globex', 'theirs'))?.secretHash;

    // Another tenant's admin: as if the tenant did not exist.
    for (const call of [
      () => () => t.as(acmeAdmin).client.list({ tenantId: 'globex' }),
      () => () =>
        t.as(acmeAdmin).client.create({
          tenantId: 'globex',
          clientId: 'intruder',
          authMethod: 'client_secret_basic',
          allowTokenExchange: true,
        }),
      () => () => t.as(acmeAdmin).client.rotateSecret(theirs),
      () => () => t.as(acmeAdmin).client.update({ ...theirs, allowTokenExchange: false }),
      () => () => t.as(acmeAdmin).client.setEnabled({ ...theirs, enabled: false }),
      () => () =>
        t.as(acmeAdmin).client.setAuthMethod({ ...theirs, authMethod: 'client_secret_post' }),
      () => () => t.as(acmeAdmin).client.delete(theirs),
    ])
      await expect(call()).rejects.toMatchObject({ code: 'NOT_FOUND' });

    // A viewer reads but cannot change anything.
    expect((await t.as(viewer).client.list({ tenantId: 'globex' })).map((c) => c.clientId)).toEqual(
      ['theirs'],
    );
    for (const call of [
      () => () =>
        t.as(viewer).client.create({
          tenantId: 'globex',
          clientId: 'viewer-made',
          authMethod: 'client_secret_basic',
          allowTokenExchange: true,
        }),
      () => () => t.as(viewer).client.rotateSecret(theirs),
      () => () => t.as(viewer).client.update({ ...theirs, allowTokenExchange: false }),
      () => () => t.as(viewer).client.setEnabled({ ...theirs, enabled: false }),
      () => () =>
        t.as(viewer).client.setAuthMethod({ ...theirs, authMethod: 'client_secret_post' }),
      () => () => t.as(viewer).client.delete(theirs),
    ])
      await expect(call()).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(t.as(null).client.list({ tenantId: 'globex' })).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
    });

    expect(await row('globex', 'theirs')).toMatchObject({
      secretHash: hash,
      allowTokenExchange: true,
      disabled: false,
      authMethod: 'client_secret_basic',
    });
    expect(await row('globex', 'intruder')).toBeNull();
    expect(await row('globex', 'viewer-made')).toBeNull();
    expect((await actions('globex', 'theirs')).map((a) => a.action)).toEqual(['client.create']);
  });
});

describe('client.get (real database)', () => {
  /** A rule of `tenantId` admitting `clients`, created by the owner. */
  const createRule = (tenantId: string, id: string, clients: string[]) =>
    t.as(owner).rule.create({
      tenantId,
      id,
      clients,
      subjectIssuers: ['https://idp.example'],
      mode: 'delegation',
      actors: ['client'],
      audiences: ['https://orders.example'],
      scopes: ['orders:read'],
    });
  /** One exchange attempt of `clientId`, as the token endpoint records it. */
  const recordAttempt = (tenantId: string, clientId: string, decision: 'granted' | 'denied') =>
    t.console.db.audit.write({
      tenantId,
      clientId,
      subjectSub: `${decision}-user`,
      actorChain: [],
      requestedAudiences: ['https://orders.example'],
      grantedAudiences: decision === 'granted' ? ['https://orders.example'] : [],
      decision,
      errorCode: decision === 'denied' ? 'invalid_target' : undefined,
      trace: [],
    });

  beforeAll(async () => {
    for (const tenantId of ['acme', 'globex'])
      await t.as(owner).client.create({
        tenantId,
        clientId: 'detailed',
        displayName: `Detailed of ${tenantId}`,
        authMethod: 'client_secret_post',
        allowTokenExchange: true,
      });
    await createRule('acme', 'detailed-by-name', ['detailed']);
    await createRule('acme', 'someone-else', ['not-detailed']);
    await createRule('acme', 'any-client', ['*']);
    await createRule('globex', 'globex-detailed', ['detailed']);
    await recordAttempt('acme', 'detailed', 'granted');
    await recordAttempt('acme', 'detailed', 'denied');
    await recordAttempt('globex', 'detailed', 'granted');
  });

  it('shows a viewer the client, the rules that admit it, its last use and recent attempts', async () => {
    const viewer = await t.admin('viewer', ['acme']);
    const detail = await t.as(viewer).client.get({ tenantId: 'acme', clientId: 'detailed' });
    expect(detail.client).toMatchObject({
      clientId: 'detailed',
      displayName: 'Detailed of acme',
      authMethod: 'client_secret_post',
    });
    expect(detail.client).not.toHaveProperty('secretHash');
    expect(detail.rules.map((r) => [r.id, r.listed])).toEqual([
      ['detailed-by-name', true],
      ['any-client', false],
    ]);
    expect(detail.recentExchanges.map((e) => [e.decision, e.subjectSub])).toEqual([
      ['denied', 'denied-user'],
      ['granted', 'granted-user'],
    ]);
    expect(detail.lastUsedAt).toEqual(detail.recentExchanges[0]?.createdAt);
    expect(detail.lastUsedAt).toBeInstanceOf(Date);
    expect(JSON.stringify(detail)).not.toContain('globex');
  });

  it('answers NOT_FOUND for an unknown client, and for a tenant the admin may not see', async () => {
    await expect(
      t.as(owner).client.get({ tenantId: 'acme', clientId: 'nobody' }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'No such client' });
    await expect(
      t.as(owner).client.get({ tenantId: 'no-such-tenant', clientId: 'detailed' }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const acmeAdmin = await t.admin('tenant_admin', ['acme']);
    await expect(
      t.as(acmeAdmin).client.get({ tenantId: 'globex', clientId: 'detailed' }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'No such tenant' });
    await expect(
      t.as(null).client.get({ tenantId: 'acme', clientId: 'detailed' }),
    ).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });
});
