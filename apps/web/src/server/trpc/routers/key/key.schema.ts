import { z } from 'zod';

/** A signing key of a tenant, by its kid (an RFC 7638 thumbprint: base64url). */
export const ZKeyRefSchema = z.object({
  tenantId: z.string(),
  kid: z.string().min(1).max(128),
});
export type TKeyRef = z.infer<typeof ZKeyRefSchema>;
