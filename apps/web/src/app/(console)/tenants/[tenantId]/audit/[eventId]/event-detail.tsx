'use client';

import { useQuery } from '@tanstack/react-query';
import { TRPCClientError } from '@trpc/client';
import { ArrowLeft } from 'lucide-react';
import Link from 'next/link';
import { useSearchParams } from 'next/navigation';
import type { ReactNode } from 'react';
import { ActorChain } from '~/components/actor-chain';
import { TraceView } from '~/components/trace-view';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '~/components/ui/card';
import { ErrorState, Loading } from '~/components/ui/states';
import { errorMessage, useTRPC } from '~/lib/trpc';
import { DecisionBadge } from '../audit-explorer';
import { auditPath, auditQuery, readAuditUrl } from '../audit-url';

/** One exchange attempt: every stored field, the actor chain and the decision trace. */
export function AuditEventDetail({ tenantId, eventId }: { tenantId: string; eventId: string }) {
  const trpc = useTRPC();
  const event = useQuery(trpc.audit.get.queryOptions({ tenantId, eventId }));
  // The explorer passes its query string along: back to the same filters and page.
  const searchParams = useSearchParams();
  const { state } = readAuditUrl(new URLSearchParams(searchParams.toString()));
  const back = `${auditPath(tenantId)}${auditQuery(state)}`;

  const e = event.data;
  return (
    <div className="grid grid-cols-1 gap-4">
      <Link href={back} className="flex items-center gap-1 text-sm text-primary hover:underline">
        <ArrowLeft className="size-4" aria-hidden /> Back to the audit log
      </Link>
      {event.isPending ? <Loading label="Loading the event…" /> : null}
      {event.isError ? (
        <ErrorState
          message={
            event.error instanceof TRPCClientError && event.error.data?.code === 'NOT_FOUND'
              ? 'This tenant has no audit event with this id.'
              : errorMessage(event.error)
          }
        />
      ) : null}
      {e ? (
        <>
          <Card>
            <CardHeader>
              <CardTitle className="flex flex-wrap items-center gap-2">
                {e.endpoint === 'introspect' ? 'Introspection' : 'Exchange attempt'}{' '}
                <DecisionBadge decision={e.decision} />
              </CardTitle>
              <CardDescription>
                <time dateTime={e.createdAt.toISOString()}>
                  {e.createdAt.toISOString().replace('T', ' ').replace('Z', ' UTC')}
                </time>{' '}
                · <span className="font-mono">{e.id}</span>
              </CardDescription>
            </CardHeader>
            <CardContent className="grid grid-cols-1 gap-6 md:grid-cols-2">
              <Fields title="Request">
                <Row label="Client">{mono(e.clientId)}</Row>
                <Row label="Subject">{mono(e.subjectSub)}</Row>
                <Row label="Subject issuer">{mono(e.subjectIssuer)}</Row>
                <Row label="Actor">
                  {e.actor ? (
                    <div className="grid">
                      <span className="break-all font-mono text-xs">{e.actor.sub}</span>
                      <span className="break-all font-mono text-[11px] text-muted-foreground">
                        {e.actor.iss}
                      </span>
                    </div>
                  ) : (
                    mono(undefined)
                  )}
                </Row>
                <Row label="Requested audiences">{list(e.requestedAudiences)}</Row>
                <Row label="Requested scope">{mono(e.requestedScope)}</Row>
                {e.truncatedChars ? (
                  <Row label="Not stored">
                    <span className="text-xs">
                      {e.truncatedChars} characters of this unauthenticated request were cut
                    </span>
                  </Row>
                ) : null}
              </Fields>
              <Fields title="Outcome">
                <Row label="Decision">
                  <DecisionBadge decision={e.decision} />
                </Row>
                <Row label="Rule">{mono(e.ruleId)}</Row>
                <Row label="Granted audiences">{list(e.grantedAudiences)}</Row>
                <Row label="Granted scope">{mono(e.grantedScope)}</Row>
                <Row label="Issued token jti">{mono(e.jti)}</Row>
                <Row label="Error code">{mono(e.errorCode)}</Row>
                <Row label="Failing check">{mono(e.reason)}</Row>
                <Row label="Error detail">
                  {e.errorDetail ? (
                    <div className="grid gap-1">
                      <span className="font-mono text-xs [overflow-wrap:anywhere]">
                        {e.errorDetail}
                      </span>
                      <span className="text-[11px] text-muted-foreground">
                        For admins only: the client received the error code with a generic
                        description.
                      </span>
                    </div>
                  ) : (
                    none
                  )}
                </Row>
              </Fields>
            </CardContent>
          </Card>
          <Card>
            <CardHeader>
              <CardTitle>Actor chain</CardTitle>
              <CardDescription>
                From the outermost (current) actor to the original subject; for a refused attempt,
                who tried to act, then the subject token's own chain.
              </CardDescription>
            </CardHeader>
            <CardContent>
              {e.subjectSub ? (
                <ActorChain
                  actors={e.actorChain}
                  subject={{ sub: e.subjectSub, iss: e.subjectIssuer }}
                  refused={e.decision === 'denied' ? e.actor : undefined}
                />
              ) : (
                <p className="text-sm text-muted-foreground">
                  The attempt ended before a subject token was validated.
                </p>
              )}
            </CardContent>
          </Card>
          <Card>
            <CardHeader>
              <CardTitle>Decision trace</CardTitle>
              <CardDescription>
                Every step and policy check the STS ran, in order, as recorded.
              </CardDescription>
            </CardHeader>
            <CardContent>
              <TraceView
                trace={e.trace}
                matchedRuleId={e.decision === 'granted' ? e.ruleId : undefined}
              />
            </CardContent>
          </Card>
        </>
      ) : null}
    </div>
  );
}

const none = <span className="text-muted-foreground">—</span>;

const mono = (value: string | undefined) =>
  value ? <span className="break-all font-mono text-xs">{value}</span> : none;

const list = (values: string[]) =>
  values.length === 0 ? (
    none
  ) : (
    <ul className="grid gap-0.5">
      {values.map((v) => (
        <li key={v} className="break-all font-mono text-xs">
          {v}
        </li>
      ))}
    </ul>
  );

function Fields({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="grid content-start gap-2">
      <h3 className="text-sm font-medium">{title}</h3>
      <dl className="grid grid-cols-[minmax(6rem,10rem)_minmax(0,1fr)] gap-x-3 gap-y-2 text-sm">
        {children}
      </dl>
    </section>
  );
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <dt className="text-muted-foreground">{label}</dt>
      <dd className="min-w-0">{children}</dd>
    </>
  );
}
