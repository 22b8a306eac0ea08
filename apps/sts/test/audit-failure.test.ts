/**
 * No token without an audit record (SECURITY.md, ARCHITECTURE.md): when the audit INSERT fails,
 * the token endpoint answers 503 temporarily_unavailable with Retry-After, and the token it had
 * signed never leaves. The failure is real: a trigger on the STS's own database refuses every
 * insert into audit_events, installed through a second connection as an operator (or a full,
 * failing disk) would cause it.
 */
import { execSql } from '@sts/db/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { post, type Reply } from './helpers/http';
import { TestIdp } from './helpers/idp';
import { type CapturedLog, captureLog } from './helpers/log';
import { ACCESS_TOKEN, startTestSts, type TestSts, TOKEN_EXCHANGE } from './helpers/sts';
import { expectNoStoreJson, expectOAuthError, UNAVAILABLE } from './token-assertions';

const SECRET = 'gateway-secret-0123456789abcdef0123456789';
const ORDERS = 'https://orders.example.test';

const REFUSE_AUDIT = {
  sqlite: `CREATE TRIGGER "refuse_audit" BEFORE INSERT ON "audit_events"
    BEGIN SELECT RAISE(ABORT, 'audit refused by the test'); END;`,
  postgresql: `CREATE FUNCTION "refuse_audit"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'audit refused by the test'; END $$;
    CREATE TRIGGER "refuse_audit" BEFORE INSERT ON "audit_events"
      FOR EACH ROW EXECUTE FUNCTION "refuse_audit"();`,
};
const ALLOW_AUDIT = {
  sqlite: 'DROP TRIGGER IF EXISTS "refuse_audit";',
  postgresql:
    'DROP TRIGGER IF EXISTS "refuse_audit" ON "audit_events"; DROP FUNCTION IF EXISTS "refuse_audit"();',
};

let idp: TestIdp;
let sts: TestSts;
/** The STS's log lines (the failed audit writes are logged, with their request's id). */
let captured: CapturedLog;

beforeAll(async () => {
  idp = await TestIdp.create();
  captured = captureLog('error');
  sts = await startTestSts(
    {
      tenants: [
        {
          id: 'acme',
          displayName: 'Acme',
          clients: [{ clientId: 'gateway', authMethod: 'client_secret_basic', secret: SECRET }],
          trustedIssuers: [idp.trusted()],
          rules: [
            {
              id: 'gateway',
              clients: ['gateway'],
              subjectIssuers: [idp.issuer],
              mode: 'delegation',
              actors: ['client'],
              audiences: [ORDERS],
              scopes: ['orders:read'],
            },
          ],
        },
      ],
    },
    {},
    { log: captured.log },
  );
});

afterEach(async () => {
  await execSql(sts.databaseUrl, ALLOW_AUDIT);
});

afterAll(async () => {
  await sts?.stop();
});

async function exchange(subject?: string): Promise<Reply> {
  return post(
    sts.token('acme'),
    {
      grant_type: TOKEN_EXCHANGE,
      subject_token: subject ?? (await idp.mint({ scope: 'orders:read' })),
      subject_token_type: ACCESS_TOKEN,
      audience: ORDERS,
    },
    { basic: ['gateway', SECRET] },
  );
}

const auditCount = async () => (await sts.rows('audit_events')).length;

describe('when the audit record cannot be written', () => {
  it('a granted exchange answers 503 temporarily_unavailable with Retry-After, and no token', async () => {
    // Control: the same exchange is granted and audited while the audit table accepts inserts.
    const granted = await exchange();
    expect(granted.status, granted.text).toBe(200);
    expectNoStoreJson(granted);
    expect(typeof granted.body.access_token).toBe('string');

    await execSql(sts.databaseUrl, REFUSE_AUDIT);
    const before = await auditCount();
    const subject = await idp.mint({ scope: 'orders:read' });
    const refused = await exchange(subject);

    expectOAuthError(
      refused,
      { status: 503, error: 'temporarily_unavailable', error_description: UNAVAILABLE },
      [subject, SECRET],
    );
    expect(refused.headers.get('retry-after')).toBe('5');
    expect(refused.text).not.toContain('access_token');
    expect(refused.text).not.toMatch(/eyJ[\w-]+\.[\w-]+\.[\w-]+/);
    expect(await auditCount()).toBe(before);
    const requestId = refused.headers.get('x-request-id');
    expect(captured.lines().filter((l) => l.request_id === requestId)).toEqual([
      expect.objectContaining({
        level: 'error',
        msg: 'audit write failed',
        err: expect.objectContaining({
          message: expect.stringContaining('audit refused by the test'),
        }),
      }),
    ]);
  });

  it('exchanges are granted again once the audit accepts writes, each with its record', async () => {
    await execSql(sts.databaseUrl, REFUSE_AUDIT);
    expect((await exchange()).status).toBe(503);

    await execSql(sts.databaseUrl, ALLOW_AUDIT);
    const before = await auditCount();
    const reply = await exchange();
    expect(reply.status, reply.text).toBe(200);
    const rows = await sts.rows('audit_events');
    expect(rows).toHaveLength(before + 1);
    expect(rows.at(-1)).toMatchObject({ decision: 'granted', client_id: 'gateway' });
  });

  it('a refused exchange keeps its own answer (no token is at stake)', async () => {
    await execSql(sts.databaseUrl, REFUSE_AUDIT);
    const reply = await post(
      sts.token('acme'),
      {
        grant_type: TOKEN_EXCHANGE,
        subject_token: await idp.mint({ scope: 'orders:read' }),
        subject_token_type: ACCESS_TOKEN,
        audience: 'https://payments.example.test',
      },
      { basic: ['gateway', SECRET] },
    );
    expectOAuthError(reply, {
      status: 400,
      error: 'invalid_target',
      error_description: 'The requested audience or resource is not allowed',
    });
  });
});
