-- Decision 0010 (docs/decisions/0010-token-type-confusion.md, "Upgrading" in docs/configuration.md):
-- existing trusted issuers get the safe defaults, not the old behaviour. An issuer with no
-- audiences no longer accepts every aud: until an admin sets audiences (or opts in to any
-- audience), its tokens are refused with reason subject_token.aud / actor_token.aud, and the STS
-- warns about it at every configuration load. Its access tokens must carry typ at+jwt until JWT
-- (or "absent") is added. Rules are stored as JSON and get the new options' defaults when read.
-- AlterTable
ALTER TABLE "trusted_issuers" ADD COLUMN     "access_token_typ" TEXT NOT NULL DEFAULT '["at+jwt"]',
ADD COLUMN     "any_audience" BOOLEAN NOT NULL DEFAULT false;
