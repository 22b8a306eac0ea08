import { TenantFieldsSchema } from '@sts/core/config';
import { z } from 'zod';

/** The tenant form: the same field rules as the STS configuration file. */
export const ZTenantSettingsSchema = TenantFieldsSchema.pick({
  id: true,
  displayName: true,
  accessTokenTtlSeconds: true,
  signingAlg: true,
  keyRotationDays: true,
});
export type TTenantSettings = z.output<typeof ZTenantSettingsSchema>;
export type TTenantSettingsInput = z.input<typeof ZTenantSettingsSchema>;

export const ZUpdateTenantSchema = ZTenantSettingsSchema.omit({ id: true }).extend({
  tenantId: z.string(),
});
