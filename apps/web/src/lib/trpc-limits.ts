/**
 * Most procedures one tRPC batch request may carry. The server refuses a larger batch (400,
 * before any procedure runs), so one request cannot fan out into many expensive calls such as
 * "Fetch keys"; the client's batch link splits its batches at the same size.
 */
export const TRPC_MAX_BATCH = 10;
