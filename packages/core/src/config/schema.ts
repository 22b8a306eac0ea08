import { z } from 'zod';
import { MAX_RSA_BITS, RSA_TOO_LARGE, rsaKeyTooLarge } from '../keys/key-size';
import { ISSUABLE_TOKEN_TYPES, SUBJECT_TOKEN_TYPES, TOKEN_TYPE } from '../token-types';
// Readable default messages for every schema below (and the apps' own).
import './messages';

/**
 * The declarative configuration of tenants: the `STS_CONFIG_FILE` format, the shape the
 * database snapshot is loaded into, and the input the console validates. One schema, three users.
 * Every field carries a description: docs/configuration.md and config.schema.json are generated
 * from it (`pnpm --filter @sts/core gen:config-docs`).
 */

export const SIGNING_ALGS = ['ES256', 'ES384', 'RS256', 'PS256', 'EdDSA'] as const;
/** Algorithms a trusted issuer may be pinned to. `none` and HMAC are never accepted. */
export const VERIFY_ALGS = [
  'ES256',
  'ES384',
  'ES512',
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'EdDSA',
] as const;
/**
 * JOSE `typ` header values a trusted issuer may put on its access tokens (compared
 * case-insensitively, "application/" optional, RFC 7515 §4.1.9). `at+jwt` is RFC 9068's; `JWT`
 * is what many identity providers send on every token, ID tokens included, so it is accepted only
 * when configured; `absent` stands for a token without a `typ` header.
 */
export const ACCESS_TOKEN_TYPS = ['at+jwt', 'JWT', 'absent'] as const;
export { MAX_RSA_BITS };
export const CLIENT_AUTH_METHODS = [
  'client_secret_basic',
  'client_secret_post',
  'private_key_jwt',
] as const;

const id = z
  .string()
  .min(1)
  .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'Use lower-case letters, digits, "-" and "_" (at most 63)');
// The refinement runs even when the URL check failed (zod reports every issue): guard it.
const httpsUrl = z
  .url({ protocol: /^https?$/ })
  .refine((u) => !URL.canParse(u) || !new URL(u).hash, 'Remove the #fragment');
const absoluteUri = z
  .string()
  .min(1)
  .refine((v) => URL.canParse(v) && !new URL(v).hash, 'Enter an absolute URI without a #fragment');

export const JwkSchema = z
  .object({ kty: z.string(), kid: z.string().optional(), alg: z.string().optional() })
  .loose()
  .refine((k) => !('d' in k) && !('k' in k), 'Public keys only (no "d" or "k" member)')
  .refine((k) => !rsaKeyTooLarge(k), RSA_TOO_LARGE);
export const JwksSchema = z
  .object({ keys: z.array(JwkSchema).max(100) })
  .describe('A JSON Web Key Set (RFC 7517) of public keys, at most 100.');

export const ClientFieldsSchema = z.strictObject({
  clientId: z
    .string()
    .min(1)
    .regex(
      /^[\x21-\x7e]{1,128}$/,
      'Use letters, digits and punctuation, without spaces or accents (at most 128)',
    )
    .describe('The client identifier, unique within the tenant.'),
  displayName: z.string().max(200).optional().describe('A name shown in the console.'),
  authMethod: z
    .enum(CLIENT_AUTH_METHODS)
    .describe('How the client authenticates at the token endpoint (RFC 6749 §2.3, RFC 7523).'),
  secret: z
    .string()
    .min(32, 'At least 32 characters (use a generated secret)')
    .max(512)
    .optional()
    .describe('The client secret, for the client_secret_* methods. Stored hashed, never in clear.'),
  secretEnv: z
    .string()
    .regex(/^[A-Z_][A-Z0-9_]*$/)
    .optional()
    .describe('Name of an environment variable holding the secret, instead of `secret`.'),
  jwks: JwksSchema.optional().describe('The client’s public keys, for private_key_jwt.'),
  jwksUri: httpsUrl
    .optional()
    .describe('Where to fetch the client’s public keys, for private_key_jwt.'),
  allowTokenExchange: z
    .boolean()
    .default(true)
    .describe('false: the client authenticates but gets unauthorized_client for token exchange.'),
  allowIntrospection: z
    .boolean()
    .default(false)
    .describe(
      'true: the client may call the introspection endpoint (RFC 7662) and read the claims of any token of the tenant; grant it to resource servers only.',
    ),
  disabled: z.boolean().default(false).describe('A disabled client cannot authenticate.'),
});

/** Cross-field checks of ClientSchema (also applied to the console's forms). */
export const checkClient = (c: z.infer<typeof ClientFieldsSchema>, ctx: z.RefinementCtx) => {
  const usesSecret = c.authMethod !== 'private_key_jwt';
  if (usesSecret && !c.secret && !c.secretEnv)
    ctx.addIssue({ code: 'custom', path: ['secret'], message: `required by ${c.authMethod}` });
  if (c.secret && c.secretEnv)
    ctx.addIssue({
      code: 'custom',
      path: ['secretEnv'],
      message: 'Give secret or secretEnv, not both',
    });
  if (!usesSecret && !c.jwks && !c.jwksUri)
    ctx.addIssue({
      code: 'custom',
      path: ['jwks'],
      message: 'private_key_jwt needs a JWKS or a JWKS URI',
    });
  if (c.jwks && c.jwksUri)
    ctx.addIssue({
      code: 'custom',
      path: ['jwksUri'],
      message: 'Give a JWKS or a JWKS URI, not both',
    });
};

export const ClientSchema = ClientFieldsSchema.superRefine(checkClient);

export const TrustedIssuerFieldsSchema = z.strictObject({
  issuer: httpsUrl.describe('The exact `iss` value of tokens this issuer signs.'),
  jwksUri: httpsUrl.optional().describe('The issuer’s JWKS endpoint.'),
  jwks: JwksSchema.optional().describe('The issuer’s public keys, inline.'),
  audiences: z
    .array(z.string().min(1))
    .default([])
    .describe(
      'A subject or actor token must name one of these in `aud`. With none (and without `anyAudience`) no token of this issuer is accepted.',
    ),
  anyAudience: z
    .boolean()
    .default(false)
    .describe(
      'true: accept tokens of this issuer whatever their `aud` (an ID token made for another application included). Only when `audiences` is empty; an explicit opt-in.',
    ),
  accessTokenTyp: z
    .array(z.enum(ACCESS_TOKEN_TYPS))
    .min(1, 'Accept at least one typ')
    .default(['at+jwt'])
    .describe(
      'The JOSE `typ` header values this issuer puts on its access tokens: a subject or actor token sent as an access token must carry one of them ("absent": no typ header). `JWT` only if the issuer really uses it: its ID tokens carry it too.',
    ),
  algorithms: z
    .array(z.enum(VERIFY_ALGS))
    .min(1, 'Allow at least one algorithm')
    .describe('The signature algorithms accepted from this issuer (pinned; never none or HMAC).'),
});

export const checkTrustedIssuer = (
  t: z.infer<typeof TrustedIssuerFieldsSchema>,
  ctx: z.RefinementCtx,
) => {
  if (Boolean(t.jwks) === Boolean(t.jwksUri))
    ctx.addIssue({
      code: 'custom',
      path: ['jwksUri'],
      message: 'Give a JWKS or a JWKS URI (exactly one)',
    });
  if (t.anyAudience && t.audiences.length > 0)
    ctx.addIssue({
      code: 'custom',
      path: ['anyAudience'],
      message: 'Give audiences or accept any audience, not both',
    });
};

export const TrustedIssuerSchema = TrustedIssuerFieldsSchema.superRefine(checkTrustedIssuer);

export const ActorMatcherSchema = z.union([
  z.literal('client').describe('The authenticated client itself may act, without an actor token.'),
  z
    .strictObject({
      issuer: z.string().min(1).describe('Issuer of the actor token ("self" for this tenant).'),
      subjects: z
        .array(z.string().min(1))
        .optional()
        .describe('Allowed actor `sub` values; any subject of the issuer when absent.'),
    })
    .describe('An actor token from this issuer (and subject) may act.'),
]);

export const RuleFieldsSchema = z.strictObject({
  id: id.describe('Rule identifier, unique within the tenant; recorded with every decision.'),
  description: z.string().max(500).optional().describe('What the rule is for, in words.'),
  disabled: z.boolean().default(false).describe('A disabled rule is skipped.'),
  clients: z
    .array(z.string().min(1))
    .min(1, 'Name at least one client (or "*")')
    .describe('Client ids this rule applies to ("*" for any client of the tenant).'),
  subjectIssuers: z
    .array(z.string().min(1))
    .min(1, 'Name at least one subject issuer (or "self")')
    .describe('Issuers whose subject tokens the rule accepts ("self": tokens this tenant issued).'),
  subjectTokenTypes: z
    .array(z.enum(SUBJECT_TOKEN_TYPES))
    .default([TOKEN_TYPE.accessToken, TOKEN_TYPE.jwt])
    .describe('Accepted subject_token_type values.'),
  mode: z
    .enum(['delegation', 'impersonation'])
    .describe(
      'delegation: the issued token names the actor in `act`. impersonation: it is the subject alone, and no actor token is accepted.',
    ),
  actors: z
    .array(ActorMatcherSchema)
    .default([])
    .describe('Delegation only: who may act (an actor token issuer, or "client").'),
  audiences: z
    .array(z.string().min(1))
    .default([])
    .describe('Audience or resource values that may be requested, exactly.'),
  audiencePrefixes: z
    .array(z.string().regex(/[/:]$/, 'End it with "/" or ":", so it cannot match another host'))
    .default([])
    .describe('Audience or resource values that may be requested, by prefix.'),
  defaultAudiences: z
    .array(z.string().min(1))
    .default([])
    .describe('The audience of the issued token when the request names none.'),
  scopes: z
    .array(
      z
        .string()
        .regex(
          /^[\x21\x23-\x5b\x5d-\x7e]+$/,
          'One scope, without spaces or quotes (RFC 6749 §3.3)',
        ),
    )
    .default([])
    .describe('Scopes that may be granted, further limited by the subject token’s own `scope`.'),
  unscopedSubjects: z
    .enum(['no_scope', 'rule_scopes'])
    .default('no_scope')
    .describe(
      'What a subject token without a `scope` (or `scp`) claim may be granted. no_scope: nothing. rule_scopes: any of the rule’s scopes (only for issuers whose access tokens never carry a scope).',
    ),
  scopeMode: z
    .enum(['narrow', 'reject'])
    .default('narrow')
    .describe(
      'narrow: grant what is allowed and return the granted scope. reject: any scope beyond it fails with invalid_scope.',
    ),
  maxTtlSeconds: z
    .number()
    .int()
    .min(1)
    .max(86_400)
    .optional()
    .describe('Upper bound on the issued token’s lifetime.'),
  allowBeyondSubjectExpiry: z
    .boolean()
    .default(false)
    .describe('true: the issued token may outlive the subject token.'),
  maxSubjectAgeSeconds: z
    .number()
    .int()
    .min(1)
    .max(31_536_000)
    .optional()
    .describe(
      'Oldest subject token accepted, in seconds since its `iat`; a token without `iat` is then refused.',
    ),
  anyHolder: z
    .boolean()
    .default(false)
    .describe(
      'For tokens this tenant issued ("self" subject issuer). false: only the holder may exchange one again, a client named in its `aud` or `client_id`. true: any client of the rule may, whatever the token’s `aud`.',
    ),
  impersonateDelegated: z
    .boolean()
    .default(false)
    .describe(
      'Impersonation only. false: a subject token that already names actors (`act`) is refused. true: it is accepted and the issued token keeps its actor chain unchanged (the caller is not added to it).',
    ),
  maxChainDepth: z
    .number()
    .int()
    .min(0)
    .max(5)
    .default(1)
    .describe('Largest number of actors in the issued token’s `act` chain.'),
  carryClaims: z
    .array(z.string().regex(/^[A-Za-z0-9_.:-]+$/))
    .default([])
    .describe('Subject token claims copied into the issued token (registered claims excluded).'),
  requestedTokenTypes: z
    .array(z.enum(ISSUABLE_TOKEN_TYPES))
    .default([TOKEN_TYPE.accessToken])
    .describe('Token types this rule may issue.'),
});

/** Cross-field checks of RuleSchema (also applied to the console's forms). */
export const checkRule = (r: z.infer<typeof RuleFieldsSchema>, ctx: z.RefinementCtx) => {
  if (r.mode === 'impersonation' && r.actors.length > 0)
    ctx.addIssue({
      code: 'custom',
      path: ['actors'],
      message: 'Impersonation rules take no actors',
    });
  if (r.mode === 'delegation' && r.actors.length === 0)
    ctx.addIssue({
      code: 'custom',
      path: ['actors'],
      message: 'Delegation rules need at least one actor',
    });
  if (r.mode === 'delegation' && r.impersonateDelegated)
    ctx.addIssue({
      code: 'custom',
      path: ['impersonateDelegated'],
      message: 'Only impersonation rules take this option',
    });
  for (const [i, aud] of r.defaultAudiences.entries())
    if (!r.audiences.includes(aud) && !r.audiencePrefixes.some((p) => aud.startsWith(p)))
      ctx.addIssue({
        code: 'custom',
        path: ['defaultAudiences', i],
        message: 'Not allowed by the audiences',
      });
};

export const RuleSchema = RuleFieldsSchema.superRefine(checkRule);

export const TenantFieldsSchema = z.strictObject({
  id: id.describe('Tenant identifier: the issuer is `<STS_PUBLIC_URL>/t/<id>`.'),
  displayName: z.string().min(1).max(200).describe('A name shown in the console.'),
  accessTokenTtlSeconds: z
    .number()
    .int()
    .min(1)
    .max(86_400)
    .default(300)
    .describe('Default lifetime of issued tokens, in seconds.'),
  signingAlg: z
    .enum(SIGNING_ALGS)
    .default('ES256')
    .describe('Algorithm of the tenant’s signing key.'),
  keyRotationDays: z
    .number()
    .int()
    .min(1)
    .max(3650)
    .optional()
    .describe(
      'Rotate the signing key when it has signed for this many days (the new key is published ' +
        '`STS_KEY_PREPUBLISH_SECONDS` before it signs). Absent: only on-demand rotation.',
    ),
  clients: z.array(ClientSchema).default([]).describe('Clients that may call the token endpoint.'),
  trustedIssuers: z
    .array(TrustedIssuerSchema)
    .default([])
    .describe('Issuers whose tokens are accepted as subject or actor tokens.'),
  rules: z
    .array(RuleSchema)
    .default([])
    .describe('Evaluated in order; the first that matches decides.'),
});

/** Cross-field checks of TenantSchema (also applied to the console's forms). */
export const checkTenant = (t: z.infer<typeof TenantFieldsSchema>, ctx: z.RefinementCtx) => {
  unique(
    t.clients.map((c) => c.clientId),
    ['clients'],
    'clientId',
    ctx,
  );
  unique(
    t.trustedIssuers.map((i) => i.issuer),
    ['trustedIssuers'],
    'issuer',
    ctx,
  );
  unique(
    t.rules.map((r) => r.id),
    ['rules'],
    'id',
    ctx,
  );
};

export const TenantSchema = TenantFieldsSchema.superRefine(checkTenant);

export const ConfigFileSchema = z
  .strictObject({
    $schema: z.string().optional(),
    tenants: z.array(TenantSchema).describe('The tenants this file declares.'),
  })
  .superRefine((f, ctx) =>
    unique(
      f.tenants.map((t) => t.id),
      ['tenants'],
      'id',
      ctx,
    ),
  );

function unique(values: string[], path: (string | number)[], field: string, ctx: z.RefinementCtx) {
  const seen = new Set<string>();
  values.forEach((v, i) => {
    if (seen.has(v))
      ctx.addIssue({
        code: 'custom',
        path: [...path, i, field],
        message: `duplicate ${field} "${v}"`,
      });
    seen.add(v);
  });
}

export type ClientConfig = z.infer<typeof ClientSchema>;
export type TrustedIssuerConfig = z.infer<typeof TrustedIssuerSchema>;
export type ActorMatcher = z.infer<typeof ActorMatcherSchema>;
export type RuleConfig = z.infer<typeof RuleSchema>;
export type TenantConfig = z.infer<typeof TenantSchema>;
export type ConfigFile = z.infer<typeof ConfigFileSchema>;
export type Jwks = z.infer<typeof JwksSchema>;
export { absoluteUri };
