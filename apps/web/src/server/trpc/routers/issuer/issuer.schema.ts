import { checkTrustedIssuer, TrustedIssuerFieldsSchema, VERIFY_ALGS } from '@sts/core/config';
import { z } from 'zod';
import { jwksText, optionalText, parseInto } from './form-fields';

/** Trusted issuer inputs: the STS configuration's TrustedIssuerFieldsSchema and its checks. */

const tenantId = z.string();

export const ZTrustedIssuerSchema = TrustedIssuerFieldsSchema.extend({ tenantId }).superRefine(
  checkTrustedIssuer,
);
export type TTrustedIssuer = z.output<typeof ZTrustedIssuerSchema>;

export const ZIssuerRefSchema = z.object({ tenantId, issuer: z.string().min(1) });

export const ZFetchKeysSchema = z.object({
  tenantId,
  jwksUri: TrustedIssuerFieldsSchema.shape.jwksUri.unwrap(),
});

export type { FetchedKeys as TFetchKeysResult } from '@sts/console';

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
    algorithms: z.array(z.enum(VERIFY_ALGS)).min(1, 'Choose at least one algorithm'),
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
