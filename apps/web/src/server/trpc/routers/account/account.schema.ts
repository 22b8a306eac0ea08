import { z } from 'zod';

/** The signed-in admin's own single-sign-on identity, by the provider's issuer. */
export const ZUnlinkOwnSsoSchema = z.object({ issuer: z.string().min(1).max(2048) });
