'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { ChevronLeft, ChevronRight, ChevronsLeft } from 'lucide-react';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { Badge } from '~/components/ui/badge';
import { Button } from '~/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '~/components/ui/card';
import { Empty, ErrorState, Loading } from '~/components/ui/states';
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from '~/components/ui/table';
import { formatUtc } from '~/lib/format';
import { errorMessage, useTRPC } from '~/lib/trpc';
import { AuditFilters } from './audit-filters';
import { type AuditUrlState, auditPath, auditQuery } from './audit-url';

/** Every exchange attempt of the tenant, newest first, filtered and paged on the server. */
export function AuditExplorer({ tenantId, state }: { tenantId: string; state: AuditUrlState }) {
  const trpc = useTRPC();
  const events = useQuery({
    ...trpc.audit.list.queryOptions({
      tenantId,
      filter: state.filter,
      pageSize: state.pageSize,
      before: state.before,
      after: state.after,
    }),
    placeholderData: keepPreviousData,
  });
  const base = auditPath(tenantId);
  const filtered = Object.keys(state.filter).length > 0;
  const paged = Boolean(state.before || state.after);
  // The table's links keep the view's query string, so the detail page links back to it.
  const here = auditQuery(state);
  const page = events.data;

  return (
    <Card>
      <CardHeader>
        <CardTitle>Exchange attempts</CardTitle>
        <CardDescription>
          Every token exchange request the STS received for this tenant, granted or denied. Text
          filters match any part of a value, in any case; the dashboard counts what they select.
        </CardDescription>
      </CardHeader>
      <CardContent className="grid grid-cols-1 gap-4">
        <AuditFilters
          key={auditQuery({ filter: state.filter, pageSize: state.pageSize })}
          tenantId={tenantId}
          state={state}
        />
        {events.isPending ? <Loading label="Loading events…" /> : null}
        {events.isError ? <ErrorState message={errorMessage(events.error)} /> : null}
        {page && page.items.length === 0 ? (
          <Empty title={filtered || paged ? 'No events match' : 'No exchanges yet'}>
            {filtered || paged ? (
              <Link className="text-primary hover:underline" href={base}>
                Show all events
              </Link>
            ) : (
              'Token exchange requests to this tenant will be listed here.'
            )}
          </Empty>
        ) : null}
        {page && page.items.length > 0 ? (
          <>
            <div aria-busy={events.isFetching} className={events.isFetching ? 'opacity-60' : ''}>
              <Table>
                <caption className="sr-only">
                  Exchange attempts, newest first{filtered ? ', filtered' : ''}
                </caption>
                <TableHeader>
                  <TableRow>
                    <TableHead>Time</TableHead>
                    <TableHead>Client</TableHead>
                    <TableHead>Subject</TableHead>
                    <TableHead>Actor</TableHead>
                    <TableHead className="hidden md:table-cell">Audiences</TableHead>
                    <TableHead className="hidden md:table-cell">
                      Scope requested → granted
                    </TableHead>
                    <TableHead>Decision</TableHead>
                    <TableHead className="hidden md:table-cell">Error</TableHead>
                    <TableHead className="hidden md:table-cell">Rule</TableHead>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {page.items.map((e) => (
                    <TableRow key={e.id} data-testid="audit-row">
                      <TableCell className="whitespace-nowrap">
                        <Link
                          className="font-medium text-primary hover:underline"
                          href={`${base}/${encodeURIComponent(e.id)}${here}`}
                          aria-label={`Event of ${formatUtc(e.createdAt)}`}
                        >
                          <time dateTime={e.createdAt.toISOString()}>{formatUtc(e.createdAt)}</time>
                        </Link>
                      </TableCell>
                      <TableCell className="font-mono text-xs">{e.clientId ?? '—'}</TableCell>
                      <TableCell>
                        {e.subjectSub ? (
                          <div className="grid">
                            <span className="font-mono text-xs">{e.subjectSub}</span>
                            <span className="font-mono text-[11px] text-muted-foreground">
                              {e.subjectIssuer}
                            </span>
                          </div>
                        ) : (
                          '—'
                        )}
                        {e.actorChain.length > 0 ? (
                          <span className="text-[11px] text-muted-foreground">
                            via {e.actorChain.length} actor{e.actorChain.length > 1 ? 's' : ''}
                          </span>
                        ) : null}
                      </TableCell>
                      <TableCell data-testid="audit-actor">
                        {e.actor ? (
                          <div className="grid">
                            <span className="font-mono text-xs">{e.actor.sub}</span>
                            <span className="font-mono text-[11px] text-muted-foreground">
                              {e.actor.iss}
                            </span>
                          </div>
                        ) : (
                          '—'
                        )}
                      </TableCell>
                      <TableCell className="hidden md:table-cell font-mono text-xs">
                        <Audiences requested={e.requestedAudiences} granted={e.grantedAudiences} />
                      </TableCell>
                      <TableCell className="hidden md:table-cell font-mono text-xs">
                        <div>{e.requestedScope ?? '—'}</div>
                        <div className={e.grantedScope ? 'text-success' : 'text-muted-foreground'}>
                          → {e.grantedScope ?? 'none'}
                        </div>
                      </TableCell>
                      <TableCell>
                        <DecisionBadge decision={e.decision} />
                        {e.endpoint === 'introspect' ? (
                          <Badge variant="outline" className="ml-1">
                            introspection
                          </Badge>
                        ) : null}
                      </TableCell>
                      <TableCell className="hidden md:table-cell font-mono text-xs">
                        {e.errorCode ?? ''}
                      </TableCell>
                      <TableCell className="hidden md:table-cell font-mono text-xs">
                        {e.ruleId ?? ''}
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </div>
            <nav aria-label="Pages" className="flex items-center gap-2">
              <PageLink
                href={`${base}${auditQuery({ ...state, before: undefined, after: undefined })}`}
                enabled={paged}
                label="Newest"
                icon={<ChevronsLeft aria-hidden />}
              />
              <PageLink
                href={`${base}${auditQuery({ ...state, before: undefined, after: page.newer ?? undefined })}`}
                enabled={page.newer !== null}
                label="Newer"
                icon={<ChevronLeft aria-hidden />}
              />
              <PageLink
                href={`${base}${auditQuery({ ...state, after: undefined, before: page.older ?? undefined })}`}
                enabled={page.older !== null}
                label="Older"
                icon={<ChevronRight aria-hidden />}
                iconAfter
              />
              <span className="ml-auto text-xs text-muted-foreground">
                {page.items.length} event{page.items.length === 1 ? '' : 's'} on this page
              </span>
            </nav>
          </>
        ) : null}
      </CardContent>
    </Card>
  );
}

export function DecisionBadge({ decision }: { decision: 'granted' | 'denied' }) {
  return decision === 'granted' ? (
    <Badge variant="success">granted</Badge>
  ) : (
    <Badge variant="danger">denied</Badge>
  );
}

function Audiences({ requested, granted }: { requested: string[]; granted: string[] }) {
  const same = granted.length === requested.length && granted.every((a, i) => a === requested[i]);
  return (
    <div className="grid gap-0.5">
      {requested.length === 0 ? (
        <span className="text-muted-foreground">none requested</span>
      ) : null}
      {requested.map((a) => (
        <span key={`r-${a}`}>{a}</span>
      ))}
      {granted.length > 0 && !same ? (
        <span className="text-success">→ {granted.join(', ')}</span>
      ) : null}
    </div>
  );
}

function PageLink({
  href,
  enabled,
  label,
  icon,
  iconAfter = false,
}: {
  href: string;
  enabled: boolean;
  label: string;
  icon: ReactNode;
  iconAfter?: boolean;
}) {
  const content = iconAfter ? (
    <>
      {label} {icon}
    </>
  ) : (
    <>
      {icon} {label}
    </>
  );
  if (!enabled)
    return (
      <Button variant="outline" size="sm" disabled>
        {content}
      </Button>
    );
  return (
    <Button variant="outline" size="sm" asChild>
      <Link href={href}>{content}</Link>
    </Button>
  );
}
