import { RuleFieldsSchema, RuleSchema } from '@sts/core/config';
import { z } from 'zod';

/**
 * Simulator inputs (their output is @sts/console's SimulationInput) and the result types. Client-safe:
 * imports only @sts/core/config, zod and types.
 */

const tenantId = z.string();

/** RFC 8693 §3 token types, as the configuration schema lists them. */
export const SUBJECT_TOKEN_TYPE_VALUES =
  RuleFieldsSchema.shape.subjectTokenTypes.unwrap().element.options;
export const ISSUABLE_TOKEN_TYPE_VALUES =
  RuleFieldsSchema.shape.requestedTokenTypes.unwrap().element.options;
const subjectTokenType = z.enum(SUBJECT_TOKEN_TYPE_VALUES);

function isJsonObject(text: string): boolean {
  if (text.trim() === '') return true;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}

/** A token pasted as it is. */
export const ZPastedTokenSchema = z.object({
  source: z.literal('paste'),
  tokenType: subjectTokenType,
  token: z.string().trim().min(1, 'paste a token').max(32_768, 'at most 32 KiB'),
});

/**
 * A token composed in the console as one of the simulator's issuers (@sts/console's
 * ComposedTokenInput): extra claims first, then iss, sub, aud, scope, iat, exp and jti over them.
 */
export const ZComposedTokenSchema = z.object({
  source: z.literal('compose'),
  tokenType: subjectTokenType,
  /** Its `iss`: one of the options' composeIssuers. */
  issuer: z.string().trim().min(1, 'Choose an issuer').max(2000),
  sub: z.string().trim().min(1, 'required').max(255),
  scope: z.string().max(2000).default(''),
  audiences: z.array(z.string().trim().min(1, 'required').max(2000)).max(10).default([]),
  extraClaims: z
    .string()
    .max(16_384)
    .default('')
    .refine(isJsonObject, 'a JSON object, e.g. {"email": "ada@example.com"}'),
  lifetimeSeconds: z
    .number({ error: 'a number of seconds' })
    .int()
    .min(-86_400)
    .max(86_400)
    .default(600),
});

export const ZTokenSourceSchema = z.discriminatedUnion('source', [
  ZPastedTokenSchema,
  ZComposedTokenSchema,
]);
export type TTokenSource = z.output<typeof ZTokenSourceSchema>;
export type TTokenSourceInput = z.input<typeof ZTokenSourceSchema>;

const targets = z.array(z.string().trim().max(2000)).max(20).default([]);

export const ZRunSimulationSchema = z.object({
  tenantId,
  clientId: z.string().min(1, 'choose a client'),
  subject: ZTokenSourceSchema,
  actor: ZTokenSourceSchema.optional(),
  /** Repeatable, as in the request; empty values are dropped like empty form fields. */
  audiences: targets,
  resources: targets,
  scope: z.string().max(2000).optional(),
  requestedTokenType: z.enum(ISSUABLE_TOKEN_TYPE_VALUES).optional(),
  /** An unsaved rule: replaces the saved rule `draftReplacesRuleId` (else the one of its id), or is appended. */
  draftRule: RuleSchema.optional(),
  draftReplacesRuleId: z.string().optional(),
});
export type TRunSimulationInput = z.input<typeof ZRunSimulationSchema>;
export type TRunSimulation = z.output<typeof ZRunSimulationSchema>;

export type {
  ComposedToken as TComposedToken,
  DecodedToken as TDecodedToken,
  SimulationResult as TSimulationResult,
} from '@sts/console';

export const ZTrustTestIssuerSchema = z.object({ tenantId });

/* ---- The simulator form: flat fields in, the run input (without tenantId and draft) out. ---- */

const TOKEN_SOURCES = ['none', 'compose', 'paste'] as const;

/** Every field of both token sources, so switching between them keeps what was typed. */
const ZTokenFormSchema = z.object({
  source: z.enum(TOKEN_SOURCES),
  tokenType: subjectTokenType,
  issuer: z.string(),
  token: z.string(),
  sub: z.string(),
  scope: z.string(),
  audiences: z.array(z.string()),
  extraClaims: z.string(),
  lifetimeSeconds: z.number({ error: 'a number of seconds' }),
});
export type TTokenFormInput = z.input<typeof ZTokenFormSchema>;

function tokenFromForm(
  value: z.output<typeof ZTokenFormSchema>,
  ctx: z.RefinementCtx,
  path: 'subject' | 'actor',
): TTokenSource | undefined {
  if (value.source === 'none') {
    ctx.addIssue({ code: 'custom', path: [path, 'source'], message: 'Compose or paste a token' });
    return undefined;
  }
  const parsed = ZTokenSourceSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues)
    ctx.addIssue({ code: 'custom', path: [path, ...issue.path], message: issue.message });
  return undefined;
}

export const ZSimulatorFormSchema = z
  .object({
    clientId: z.string().min(1, 'choose a client'),
    subject: ZTokenFormSchema,
    actor: ZTokenFormSchema,
    audiences: z.array(z.string()),
    resources: z.array(z.string()),
    scope: z.string(),
    /** "": none sent (the STS then issues an access token). */
    requestedTokenType: z.union([z.literal(''), z.enum(ISSUABLE_TOKEN_TYPE_VALUES)]),
  })
  .transform((v, ctx) => {
    const subject = tokenFromForm(v.subject, ctx, 'subject');
    const actor = v.actor.source === 'none' ? undefined : tokenFromForm(v.actor, ctx, 'actor');
    if (!subject || (v.actor.source !== 'none' && !actor)) return z.NEVER;
    return {
      clientId: v.clientId,
      subject,
      actor,
      audiences: v.audiences.map((a) => a.trim()).filter(Boolean),
      resources: v.resources.map((r) => r.trim()).filter(Boolean),
      scope: v.scope.trim() === '' ? undefined : v.scope.trim(),
      requestedTokenType: v.requestedTokenType === '' ? undefined : v.requestedTokenType,
    } satisfies Omit<TRunSimulationInput, 'tenantId'>;
  });
export type TSimulatorFormInput = z.input<typeof ZSimulatorFormSchema>;
export type TSimulatorForm = z.output<typeof ZSimulatorFormSchema>;
