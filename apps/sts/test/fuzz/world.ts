/**
 * The STS the fuzzer attacks: a real server on a free port and a temporary SQLite file, a
 * stand-in identity provider whose real key signs the mutated claims (so that signature checks
 * pass and the policy is what is exercised), and the policy oracle: what the tenant's rules
 * allow, written down independently of the engine, against which every issued token is checked.
 */
import {
  createPrivateKey,
  createPublicKey,
  type JsonWebKey,
  type KeyObject,
  randomBytes,
  sign,
} from 'node:crypto';
import { deriveKeys, loadOrCreateMasterKey, openPrivateJwk } from '@sts/crypto';
import { base64url, type JWK } from 'jose';
import { post } from '../helpers/http';
import { TestIdp } from '../helpers/idp';
import { ACCESS_TOKEN, startTestSts, type TestSts, TOKEN_EXCHANGE } from '../helpers/sts';

export const GATEWAY_SECRET = 'gateway-secret-0123456789abcdef0123456789';
export const AUDITOR_SECRET = 'auditor-secret-0123456789abcdef0123456789';
/** The audience the IdP's tokens must name (the trusted issuer's `audiences`). */
export const IDP_AUDIENCE = 'https://gateway.example.test';
export const ORDERS = 'https://orders.example.test';
export const API_PREFIX = 'https://api.example.test/';
export const RULE_SCOPES = ['orders:read', 'orders:write'];
export const MAX_CHAIN_DEPTH = 2;
export const CLOCK_SKEW_S = 30;

export interface FuzzWorld {
  sts: TestSts;
  idp: TestIdp;
  tokenUrl: string;
  introspectUrl: string;
  tenantIssuer: string;
  /** Tokens the tenant issued during set-up: valid subject tokens and introspection inputs. */
  issued: string[];
  /** Signs any header and payload with the IdP's real ES256 key (no checks on either). */
  signWithIdp(header: Record<string, unknown>, payload: Record<string, unknown>): string;
  /** Signs any payload with the tenant's own active key (its header as the STS writes it). */
  signWithTenant(payload: Record<string, unknown>): string;
  /** The IdP's public ES256 key, for headers that carry a key. */
  idpJwk: JWK;
  /** The same key as PEM: the secret of an HMAC alg-confusion forgery. */
  idpPublicPem: string;
  stop(): Promise<void>;
}

export async function startFuzzWorld(): Promise<FuzzWorld> {
  const idp = await TestIdp.create('https://idp.example.test');
  const masterKey = randomBytes(32).toString('base64');
  const sts = await startTestSts(
    {
      tenants: [
        {
          id: 'acme',
          displayName: 'Acme',
          clients: [
            { clientId: 'gateway', authMethod: 'client_secret_basic', secret: GATEWAY_SECRET },
            {
              clientId: 'auditor',
              authMethod: 'client_secret_post',
              secret: AUDITOR_SECRET,
              allowIntrospection: true,
            },
          ],
          trustedIssuers: [
            {
              issuer: idp.issuer,
              jwks: idp.jwks,
              algorithms: ['ES256', 'RS256'],
              audiences: [IDP_AUDIENCE],
            },
          ],
          rules: [
            {
              id: 'gateway',
              clients: ['gateway'],
              subjectIssuers: [idp.issuer, 'self'],
              mode: 'delegation',
              actors: ['client'],
              audiences: [ORDERS],
              audiencePrefixes: [API_PREFIX],
              scopes: RULE_SCOPES,
              maxChainDepth: MAX_CHAIN_DEPTH,
            },
          ],
        },
      ],
    },
    { STS_MASTER_KEY: masterKey },
  );
  const tokenUrl = sts.token('acme');
  const issued: string[] = [];
  for (const scope of ['orders:read', 'orders:read orders:write']) {
    const reply = await post(
      tokenUrl,
      {
        grant_type: TOKEN_EXCHANGE,
        subject_token: await idp.mint({ scope, aud: IDP_AUDIENCE }),
        subject_token_type: ACCESS_TOKEN,
        audience: ORDERS,
      },
      { basic: ['gateway', GATEWAY_SECRET] },
    );
    if (reply.status !== 200) throw new Error(`fuzz set-up: exchange refused: ${reply.text}`);
    issued.push(reply.body.access_token as string);
  }
  // The tenant's active signing key, opened as the STS opens it (ES256, the default).
  const [active] = await sts.database.signingKeys.listUsable('acme');
  if (!active) throw new Error('fuzz set-up: the tenant has no signing key');
  const tenantKey = createPrivateKey({
    key: openPrivateJwk(
      deriveKeys(loadOrCreateMasterKey(sts.dir, masterKey)).keyEncryptionKey,
      'signing_keys',
      'acme',
      active.kid,
      active.sealedPrivateKey,
    ) as JsonWebKey,
    format: 'jwk',
  });
  const es = idp.keys.find((k) => k.alg === 'ES256');
  if (!es) throw new Error('the IdP has no ES256 key');
  const key: KeyObject = createPrivateKey({
    key: (await crypto.subtle.exportKey('jwk', es.privateKey)) as JsonWebKey,
    format: 'jwk',
  });
  return {
    sts,
    idp,
    tokenUrl,
    introspectUrl: `${sts.url}/t/acme/introspect`,
    tenantIssuer: sts.issuer('acme'),
    issued,
    signWithIdp: (header, payload) => signEs256(key, header, payload),
    signWithTenant: (payload) =>
      signEs256(tenantKey, { alg: 'ES256', kid: active.kid, typ: 'at+jwt' }, payload),
    idpJwk: es.publicJwk,
    idpPublicPem: createPublicKey({ key: es.publicJwk as JsonWebKey, format: 'jwk' })
      .export({ type: 'spki', format: 'pem' })
      .toString(),
    async stop() {
      await sts.stop();
    },
  };
}

function signEs256(key: KeyObject, header: object, payload: object): string {
  const input = `${encode(header)}.${encode(payload)}`;
  const signature = sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' });
  return `${input}.${base64url.encode(signature)}`;
}

export const encode = (value: unknown): string => base64url.encode(JSON.stringify(value) ?? 'null');

export const decodePart = (jwt: string, part: 0 | 1): Record<string, unknown> =>
  JSON.parse(Buffer.from(jwt.split('.')[part] ?? '', 'base64url').toString());

// ---------------------------------------------------------------------------------------------
// The policy oracle: what the rule above allows, stated without the engine.

interface Actor {
  sub: string;
  iss?: string;
}

/** The actors of a valid `act` claim, outermost first; undefined when the claim is not valid. */
export function validChain(act: unknown, maxDepth = 5): Actor[] | undefined {
  const chain: Actor[] = [];
  let node = act;
  while (node !== undefined) {
    if (chain.length >= maxDepth) return undefined;
    if (typeof node !== 'object' || node === null || Array.isArray(node)) return undefined;
    const { sub, iss, client_id: clientId, act: inner } = node as Record<string, unknown>;
    if (typeof sub !== 'string' || sub === '') return undefined;
    if (iss !== undefined && typeof iss !== 'string') return undefined;
    if (clientId !== undefined && typeof clientId !== 'string') return undefined;
    chain.push(iss === undefined ? { sub } : { sub, iss });
    node = inner;
  }
  return chain;
}

/** The scopes a subject token holds; undefined when it carries no scope claim at all. */
export function heldScopes(claims: Record<string, unknown>): string[] | undefined {
  const claim = claims.scope !== undefined ? claims.scope : claims.scp;
  if (claim === undefined) return undefined;
  if (typeof claim === 'string') return claim.split(' ').filter(Boolean);
  if (Array.isArray(claim)) return claim.filter((s): s is string => typeof s === 'string');
  return [];
}

export interface Granted {
  /** The subject token's claims, as sent. */
  subject: Record<string, unknown>;
  /** Who signed it: the upstream IdP, or the tenant itself. */
  subjectIssuer: string;
  /** The request's audience + resource values and scope. */
  targets: string[];
  scope?: string[];
  /** The issued token's claims. */
  issued: Record<string, unknown>;
  /** Seconds since the epoch when the request was sent. */
  sentAt: number;
}

/**
 * The reasons an issued token breaks the policy (empty when it is within it): the subject token
 * must be one the rule accepts (issuer, subject, time claims, audience, may_act, chain depth),
 * and the issued token no wider than it and the rule (audience, scope, lifetime, act).
 */
export function policyViolations(world: FuzzWorld, g: Granted): string[] {
  const out: string[] = [];
  const check = (ok: boolean, what: string) => {
    if (!ok) out.push(what);
  };
  const { subject, issued } = g;
  const self = g.subjectIssuer === world.tenantIssuer;

  check(subject.iss === g.subjectIssuer, 'subject iss is the issuer that signed it');
  check(typeof subject.sub === 'string' && subject.sub !== '', 'subject sub is a string');
  check(typeof subject.exp === 'number' && subject.exp > g.sentAt, 'subject token not expired');
  for (const claim of ['nbf', 'iat'])
    check(
      subject[claim] === undefined ||
        (typeof subject[claim] === 'number' &&
          (subject[claim] as number) <= g.sentAt + CLOCK_SKEW_S + 5),
      `subject ${claim} not in the future`,
    );
  if (!self) {
    const aud = Array.isArray(subject.aud) ? subject.aud : [subject.aud];
    check(aud.includes(IDP_AUDIENCE), 'subject aud names the configured audience');
  }
  const before = validChain(subject.act);
  check(before !== undefined, 'subject act is a valid chain');
  check((before?.length ?? 0) + 1 <= MAX_CHAIN_DEPTH, 'chain depth within the rule');
  const mayAct = subject.may_act;
  check(
    mayAct === undefined ||
      (typeof mayAct === 'object' &&
        mayAct !== null &&
        (mayAct as Actor).sub === 'gateway' &&
        ((mayAct as Actor).iss === undefined || (mayAct as Actor).iss === world.tenantIssuer)),
    'may_act names the client',
  );

  check(issued.iss === world.tenantIssuer, 'issued by the tenant');
  const aud = Array.isArray(issued.aud) ? issued.aud : [issued.aud];
  check(aud.length > 0, 'issued aud not empty');
  for (const a of aud) {
    check(typeof a === 'string' && (a === ORDERS || a.startsWith(API_PREFIX)), `aud ${a} allowed`);
    if (g.targets.length > 0) check(g.targets.includes(a as string), `aud ${a} requested`);
  }
  const scope = typeof issued.scope === 'string' ? issued.scope.split(' ') : [];
  const held = heldScopes(subject);
  for (const s of scope) {
    check(RULE_SCOPES.includes(s), `scope ${s} in the rule`);
    if (held) check(held.includes(s), `scope ${s} held by the subject`);
    if (g.scope) check(g.scope.includes(s), `scope ${s} requested`);
  }
  check(
    typeof issued.exp === 'number' && issued.exp <= (subject.exp as number),
    'issued token does not outlive the subject token',
  );
  const after = validChain(issued.act, 10);
  check(
    JSON.stringify(after) ===
      JSON.stringify([{ sub: 'gateway', iss: world.tenantIssuer }, ...(before ?? [])]),
    'act is the client in front of the subject’s chain',
  );
  return out;
}
