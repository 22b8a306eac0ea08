'use client';

import { CircleCheck, CircleX } from 'lucide-react';
import { ActorChain } from '~/components/actor-chain';
import { CodeBlock, json } from '~/components/code-block';
import { CopyButton } from '~/components/copy-button';
import { TraceView } from '~/components/trace-view';
import { Badge } from '~/components/ui/badge';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '~/components/ui/card';
import type { TSimulationResult } from '~/server/trpc/routers/simulator/simulator.schema';
import { ComposedToken, DecodedToken } from './decoded-token';

/** Outcome, actor chain, would-be token, decision trace and the equivalent curl command. */
export function SimulationResult({ result }: { result: TSimulationResult }) {
  const { outcome } = result;
  const draft = result.rules.find((r) => r.draft);
  return (
    <div className="grid gap-4" data-testid="simulation-result">
      <Card className={outcome.granted ? 'border-success-border' : 'border-danger-border'}>
        <CardHeader>
          <CardTitle className="flex items-center gap-2">
            {outcome.granted ? (
              <>
                <CircleCheck className="size-5 text-emerald-600" aria-hidden /> Granted by rule{' '}
                <span className="font-mono">{outcome.ruleId}</span>
              </>
            ) : (
              <>
                <CircleX className="size-5 text-red-600" aria-hidden /> Refused:{' '}
                <span className="font-mono">{outcome.error}</span>
                <Badge variant="danger">HTTP {outcome.status}</Badge>
              </>
            )}
          </CardTitle>
          <CardDescription>
            Rules evaluated, in order:{' '}
            {result.rules.length === 0
              ? 'none (the request was refused before the rules)'
              : result.rules.map((r, i) => (
                  <span key={r.id}>
                    {i > 0 ? ', ' : ''}
                    <span className="font-mono">{r.id}</span>
                    {r.draft ? ' (unsaved draft)' : ''}
                    {r.disabled ? ' (disabled)' : ''}
                  </span>
                ))}
            {outcome.granted ? '; the rules after it were not tried' : ''}.
          </CardDescription>
        </CardHeader>
        <CardContent className="grid gap-3 text-sm">
          {outcome.granted ? (
            <>
              <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1">
                <dt className="text-muted-foreground">Mode</dt>
                <dd>{outcome.mode}</dd>
                <dt className="text-muted-foreground">Lifetime</dt>
                <dd>{outcome.ttlSeconds} s</dd>
                <dt className="text-muted-foreground">Scope</dt>
                <dd className="font-mono">{outcome.scope.join(' ') || '(none)'}</dd>
                {subjectId(result.wouldBe?.payload) ? (
                  <>
                    <dt className="text-muted-foreground">Subject</dt>
                    <dd>
                      <span className="font-mono">sub {String(result.wouldBe?.payload.sub)}</span>
                      <span className="block font-mono" data-testid="sub-id">
                        sub_id {subjectId(result.wouldBe?.payload)}
                      </span>
                      <span className="block text-xs text-muted-foreground">
                        sub_id (RFC 9493, iss_sub) names the issuer of the subject: the same sub
                        from two issuers is two subjects.
                      </span>
                    </dd>
                  </>
                ) : null}
              </dl>
              <div className="grid gap-1">
                <span className="text-xs font-medium text-muted-foreground">
                  The response the client would get (200)
                </span>
                <CodeBlock label="Response body">{json(outcome.response)}</CodeBlock>
              </div>
            </>
          ) : (
            <dl className="grid gap-2">
              <div>
                <dt className="text-xs font-medium text-muted-foreground">
                  The response the client would get ({outcome.status})
                </dt>
                <dd>
                  <CodeBlock label="Error response body">
                    {json({ error: outcome.error, error_description: outcome.description })}
                  </CodeBlock>
                </dd>
              </div>
              <div>
                <dt className="text-xs font-medium text-muted-foreground">
                  The precise reason (only in the trace and the audit record)
                </dt>
                <dd className="rounded-md bg-danger-soft p-2 text-danger">{outcome.detail}</dd>
              </div>
            </dl>
          )}
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>Actor chain</CardTitle>
          <CardDescription>
            {outcome.granted
              ? 'Who acts for whom in the issued token, current actor first.'
              : 'As far as the exchange got: the subject and the actors its token already names.'}
          </CardDescription>
        </CardHeader>
        <CardContent>
          <ActorChain
            actors={result.actorChain}
            subject={result.subject ?? undefined}
            refused={result.outcome.granted ? undefined : result.actor}
          />
        </CardContent>
      </Card>

      {result.wouldBe ? (
        <Card>
          <CardHeader>
            <CardTitle className="flex items-center gap-2">
              The token the STS would issue <Badge variant="warning">not signed</Badge>
            </CardTitle>
            <CardDescription>
              Decoded header and claims. The simulator never signs with the tenant's keys; iat, exp
              and jti are set when the STS issues it.
            </CardDescription>
          </CardHeader>
          <CardContent>
            <DecodedToken token={result.wouldBe} title="Would-be token" />
          </CardContent>
        </Card>
      ) : null}

      <Card>
        <CardHeader>
          <CardTitle>Decision trace</CardTitle>
          <CardDescription>Every step and every check of every rule, in order.</CardDescription>
        </CardHeader>
        <CardContent>
          <TraceView
            trace={result.trace}
            matchedRuleId={outcome.granted ? outcome.ruleId : undefined}
            draftRuleId={draft?.id}
          />
        </CardContent>
      </Card>

      {result.composed.subject || result.composed.actor ? (
        <Card>
          <CardHeader>
            <CardTitle>Composed tokens</CardTitle>
            <CardDescription>Signed by the tenant's test issuer for this run.</CardDescription>
          </CardHeader>
          <CardContent className="grid gap-2">
            {result.composed.subject ? (
              <ComposedToken token={result.composed.subject} title="Subject token" />
            ) : null}
            {result.composed.actor ? (
              <ComposedToken token={result.composed.actor} title="Actor token" />
            ) : null}
          </CardContent>
        </Card>
      ) : null}

      <Card>
        <CardHeader className="flex-row items-start justify-between gap-2">
          <div className="grid gap-1">
            <CardTitle>The same request with curl</CardTitle>
            <CardDescription>
              Against the real token endpoint; replace the client credential placeholders.
              {draft ? ' The STS uses the saved rules, not the draft.' : ''}
            </CardDescription>
          </div>
          <CopyButton value={result.curl} label="Copy command" />
        </CardHeader>
        <CardContent>
          <CodeBlock label="curl command">{result.curl}</CodeBlock>
        </CardContent>
      </Card>
    </div>
  );
}

/** "iss / sub" of the would-be token's sub_id, as the STS sets it (core's decision). */
function subjectId(payload: Record<string, unknown> | undefined): string | undefined {
  const value = payload?.sub_id as { iss?: unknown; sub?: unknown } | undefined;
  if (!value || typeof value.iss !== 'string' || typeof value.sub !== 'string') return undefined;
  return `${value.iss} / ${value.sub}`;
}
