import {
  ACCESS_TOKEN_TYPS,
  checkTrustedIssuer,
  TrustedIssuerFieldsSchema,
  VERIFY_ALGS,
} from '@sts/core/config';
import { z } from 'zod';
import { jwksText, optionalText, parseInto } from './form-fields';

/** Trusted issuer inputs: the STS configuration's TrustedIssuerFieldsSchema and its checks. */

const tenantId = z.string();

/**
 * Decision 0010: the console saves no issuer that would accept nothing (no audience and no
 * any-audience opt-in); a configuration file or an upgraded database may hold one, and the STS
 * then refuses its tokens and warns.
 */
const audienceChosen = (
  f: { audiences?: string[]; anyAudience?: boolean },
  ctx: z.RefinementCtx,
) => {
  if (!f.anyAudience && (f.audiences ?? []).length === 0)
    ctx.addIssue({
      code: 'custom',
      path: ['audiences'],
      message: 'Name at least one audience, or accept any audience',
    });
};

export const ZTrustedIssuerSchema = TrustedIssuerFieldsSchema.extend({ tenantId })
  .superRefine(checkTrustedIssuer)
  .superRefine(audienceChosen);
export type TTrustedIssuer = z.output<typeof ZTrustedIssuerSchema>;

export const ZIssuerRefSchema = z.object({ tenantId, issuer: z.string().min(1) });

export const ZFetchKeysSchema = z.object({
  tenantId,
  jwksUri: TrustedIssuerFieldsSchema.shape.jwksUri.unwrap(),
});

export type { FetchedKeys as TFetchKeysResult } from '@sts/console';

/** "Check a sample token": the settings being edited (saved or not) and a token of the issuer. */
export const ZCheckSampleTokenSchema = z.object({
  tenantId,
  token: z
    .string()
    .trim()
    .min(1, 'Paste a token of this issuer')
    .max(16 * 1024),
  issuer: TrustedIssuerFieldsSchema.shape.issuer,
  jwksUri: TrustedIssuerFieldsSchema.shape.jwksUri,
  jwks: TrustedIssuerFieldsSchema.shape.jwks,
  audiences: TrustedIssuerFieldsSchema.shape.audiences,
  anyAudience: z.boolean(),
  accessTokenTyp: z.array(z.enum(ACCESS_TOKEN_TYPS)),
  algorithms: z.array(z.enum(VERIFY_ALGS)),
});
export type TCheckSampleToken = z.input<typeof ZCheckSampleTokenSchema>;
export type TSampleTokenResult = Awaited<
  ReturnType<typeof import('@sts/console')['checkSampleToken']>
>;

/* ---- The form: text fields in, the create/update input (without tenantId) out. ---- */

const ISSUER_KEY_SOURCES = ['jwksUri', 'jwks'] as const;

export const ZIssuerFormSchema = z
  .object({
    issuer: TrustedIssuerFieldsSchema.shape.issuer,
    keySource: z.enum(ISSUER_KEY_SOURCES),
    jwksUri: z.string(),
    /** The inline JWK Set, as JSON text. */
    jwks: z.string(),
    audiences: TrustedIssuerFieldsSchema.shape.audiences,
    anyAudience: z.boolean(),
    accessTokenTyp: z
      .array(z.enum(ACCESS_TOKEN_TYPS))
      .min(1, 'Choose at least one typ this issuer puts on its access tokens'),
    algorithms: z.array(z.enum(VERIFY_ALGS)).min(1, 'Choose at least one algorithm'),
  })
  .superRefine((f, ctx) => {
    audienceChosen(f, ctx);
    if (f.anyAudience && f.audiences.length > 0)
      ctx.addIssue({
        code: 'custom',
        path: ['anyAudience'],
        message: 'Remove the audiences, or do not accept any audience',
      });
  })
  .transform(({ keySource, jwksUri, jwks, ...rest }, ctx) => {
    if (keySource === 'jwks') return { ...rest, jwks: parseInto(jwksText, jwks, ctx, 'jwks') };
    if (jwksUri.trim() === '')
      ctx.addIssue({ code: 'custom', path: ['jwksUri'], message: 'Required' });
    const uri = parseInto(
      optionalText(TrustedIssuerFieldsSchema.shape.jwksUri),
      jwksUri,
      ctx,
      'jwksUri',
    );
    return { ...rest, jwksUri: uri };
  });
export type TIssuerFormInput = z.input<typeof ZIssuerFormSchema>;
export type TIssuerForm = z.output<typeof ZIssuerFormSchema>;
