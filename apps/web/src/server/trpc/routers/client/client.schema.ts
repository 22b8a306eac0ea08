import { type CLIENT_AUTH_METHODS, ClientFieldsSchema } from '@sts/core/config';
import { z } from 'zod';
import { jwksText, optionalText, parseInto } from '../issuer/form-fields';

/**
 * Client inputs, derived from the STS configuration's ClientFieldsSchema. Secrets are never
 * input: the server generates them (client_secret_* methods) and returns them once.
 */

interface ClientKeys {
  authMethod: (typeof CLIENT_AUTH_METHODS)[number];
  jwks?: unknown;
  jwksUri?: string;
}

/** private_key_jwt needs exactly one of jwks and jwksUri; the secret methods take neither. */
function checkClientKeys(c: ClientKeys, ctx: z.RefinementCtx): void {
  if (c.authMethod !== 'private_key_jwt') {
    for (const field of ['jwks', 'jwksUri'] as const)
      if (c[field] !== undefined)
        ctx.addIssue({ code: 'custom', path: [field], message: 'Only for private_key_jwt' });
    return;
  }
  if (!c.jwks && !c.jwksUri)
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
}

const tenantId = z.string();
const clientId = ClientFieldsSchema.shape.clientId;

export const ZCreateClientSchema = ClientFieldsSchema.pick({
  clientId: true,
  displayName: true,
  authMethod: true,
  jwks: true,
  jwksUri: true,
  allowTokenExchange: true,
  allowIntrospection: true,
})
  .extend({ tenantId })
  .superRefine(checkClientKeys);
export type TCreateClient = z.output<typeof ZCreateClientSchema>;

/**
 * Replaces the settings: a blank display name removes it; allowTokenExchange has no default;
 * allowIntrospection stays as it is when left out.
 */
export const ZUpdateClientSchema = ClientFieldsSchema.pick({
  clientId: true,
  displayName: true,
}).extend({
  tenantId,
  allowTokenExchange: z.boolean(),
  allowIntrospection: z.boolean().optional(),
});
export type TUpdateClient = z.output<typeof ZUpdateClientSchema>;

export const ZSetClientAuthSchema = ClientFieldsSchema.pick({
  clientId: true,
  authMethod: true,
  jwks: true,
  jwksUri: true,
})
  .extend({ tenantId })
  .superRefine(checkClientKeys);
export type TSetClientAuth = z.output<typeof ZSetClientAuthSchema>;

export const ZClientRefSchema = z.object({ tenantId, clientId });
export const ZSetClientEnabledSchema = ZClientRefSchema.extend({ enabled: z.boolean() });

/* ---- Forms: text fields in, the procedures' input (without tenantId) out. ---- */

const KEY_SOURCES = ['jwks', 'jwksUri'] as const;

const authFormFields = {
  authMethod: ClientFieldsSchema.shape.authMethod,
  /** For private_key_jwt: inline keys (the `jwks` textarea) or a URI. */
  keySource: z.enum(KEY_SOURCES),
  jwks: z.string(),
  jwksUri: z.string(),
};

type AuthForm = {
  authMethod: ClientKeys['authMethod'];
  keySource: string;
  jwks: string;
  jwksUri: string;
};

/** The auth part of a client form: keys only for private_key_jwt, and only the chosen kind. */
function authFromForm(v: AuthForm, ctx: z.RefinementCtx) {
  if (v.authMethod !== 'private_key_jwt') return { authMethod: v.authMethod };
  if (v.keySource === 'jwks')
    return { authMethod: v.authMethod, jwks: parseInto(jwksText, v.jwks, ctx, 'jwks') };
  const jwksUri = parseInto(
    optionalText(ClientFieldsSchema.shape.jwksUri),
    v.jwksUri,
    ctx,
    'jwksUri',
  );
  if (v.jwksUri.trim() === '')
    ctx.addIssue({ code: 'custom', path: ['jwksUri'], message: 'Required' });
  return { authMethod: v.authMethod, jwksUri };
}

export const ZClientFormSchema = z
  .object({
    clientId,
    displayName: optionalText(ClientFieldsSchema.shape.displayName),
    allowTokenExchange: z.boolean(),
    allowIntrospection: z.boolean(),
    ...authFormFields,
  })
  .transform(({ clientId, displayName, allowTokenExchange, allowIntrospection, ...auth }, ctx) => ({
    clientId,
    displayName,
    allowTokenExchange,
    allowIntrospection,
    ...authFromForm(auth, ctx),
  }));
export type TClientFormInput = z.input<typeof ZClientFormSchema>;
export type TClientForm = z.output<typeof ZClientFormSchema>;

export const ZClientAuthFormSchema = z
  .object(authFormFields)
  .transform((auth, ctx) => authFromForm(auth, ctx));
export type TClientAuthFormInput = z.input<typeof ZClientAuthFormSchema>;
export type TClientAuthForm = z.output<typeof ZClientAuthFormSchema>;

export const ZClientSettingsFormSchema = z.object({
  displayName: optionalText(ClientFieldsSchema.shape.displayName),
  allowTokenExchange: z.boolean(),
  allowIntrospection: z.boolean(),
});
export type TClientSettingsFormInput = z.input<typeof ZClientSettingsFormSchema>;
export type TClientSettingsForm = z.output<typeof ZClientSettingsFormSchema>;
