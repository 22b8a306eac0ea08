'use client';

import { useQuery } from '@tanstack/react-query';
import type { inferRouterOutputs } from '@trpc/server';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '~/components/ui/card';
import { ErrorState, Loading } from '~/components/ui/states';
import { formatUtc } from '~/lib/format';
import { errorMessage, useTRPC } from '~/lib/trpc';
import { cn } from '~/lib/utils';
import type { AppRouter } from '~/server/trpc/root';
import type { TAuditFilter } from '~/server/trpc/routers/audit/audit.schema';
import { type AuditUrlState, auditPath, auditQuery } from './audit-url';

type Stats = inferRouterOutputs<AppRouter>['audit']['stats'];

const RANGES = [
  { range: '24h', label: 'Last 24 hours' },
  { range: '30d', label: 'Last 30 days' },
] as const;

/** Exchanges over time, granted vs denied, top denial reasons and clients; aggregated in SQL. */
export function AuditDashboard({ tenantId, state }: { tenantId: string; state: AuditUrlState }) {
  const trpc = useTRPC();
  // The dashboard counts what the explorer's filters select.
  const stats = useQuery(
    trpc.audit.stats.queryOptions({ tenantId, range: state.range, filter: state.filter }),
  );
  const filtered = Object.keys(state.filter).length > 0;
  const base = auditPath(tenantId);
  // Links from the dashboard show the matching events over the same window.
  const explore = (filter: TAuditFilter, s: Stats) =>
    `${base}${auditQuery({ range: state.range, filter: { ...state.filter, from: s.from, to: s.to, ...filter } })}`;

  return (
    <Card>
      <CardHeader className="flex-row flex-wrap items-center justify-between gap-2">
        <div className="grid gap-1">
          <CardTitle>Dashboard</CardTitle>
          <CardDescription>
            {stats.data
              ? `${formatUtc(stats.data.from, 'minutes')} – ${formatUtc(stats.data.to, 'minutes')}`
              : 'Exchange attempts over time'}
            {filtered ? ' · only the attempts the filters select' : ''}
          </CardDescription>
        </div>
        <nav aria-label="Dashboard range" className="flex gap-1">
          {RANGES.map(({ range, label }) => (
            <Link
              key={range}
              href={`${base}${auditQuery({ ...state, range })}`}
              scroll={false}
              aria-current={state.range === range ? 'true' : undefined}
              className={cn(
                'rounded-md border px-2.5 py-1 text-xs',
                state.range === range
                  ? 'border-primary bg-primary text-primary-foreground'
                  : 'text-muted-foreground hover:bg-accent',
              )}
            >
              {label}
            </Link>
          ))}
        </nav>
      </CardHeader>
      <CardContent className="grid grid-cols-1 gap-5">
        {stats.isPending ? <Loading label="Loading the dashboard…" /> : null}
        {stats.isError ? <ErrorState message={errorMessage(stats.error)} /> : null}
        {stats.data ? (
          <>
            <Totals stats={stats.data} />
            <Bars stats={stats.data} />
            <div className="grid gap-4 md:grid-cols-3">
              <TopList
                title="Denials by error code"
                empty="No denials"
                rows={stats.data.topErrorCodes.map((r) => ({
                  key: r.errorCode,
                  label: (
                    <Link
                      className="font-mono text-xs text-primary hover:underline"
                      href={explore({ decision: 'denied', errorCode: r.errorCode }, stats.data)}
                    >
                      {r.errorCode}
                    </Link>
                  ),
                  count: r.count,
                }))}
              />
              <TopList
                title="Top denial reasons"
                empty="No denials"
                rows={stats.data.topReasons.map((r) => ({
                  key: `${r.reason}\u0000${r.errorCode}`,
                  label: (
                    <div className="grid">
                      <Link
                        className="font-mono text-xs text-primary hover:underline"
                        href={explore({ decision: 'denied', reason: r.reason }, stats.data)}
                      >
                        {r.reason}
                      </Link>
                      {r.example ? (
                        <span
                          className="line-clamp-2 text-[11px] text-muted-foreground"
                          title={r.example}
                        >
                          e.g. {r.example}
                        </span>
                      ) : null}
                    </div>
                  ),
                  count: r.count,
                }))}
              />
              <TopList
                title="Top clients"
                empty="No exchanges"
                rows={stats.data.topClients.map((r) => ({
                  key: r.clientId ?? '\u0000',
                  label: r.clientId ? (
                    <Link
                      className="font-mono text-xs text-primary hover:underline"
                      href={explore({ clientId: r.clientId }, stats.data)}
                    >
                      {r.clientId}
                    </Link>
                  ) : (
                    <span className="text-xs text-muted-foreground">(client not identified)</span>
                  ),
                  count: r.total,
                  extra: r.denied > 0 ? `${r.denied} denied` : undefined,
                }))}
              />
            </div>
          </>
        ) : null}
      </CardContent>
    </Card>
  );
}

function Totals({ stats }: { stats: Stats }) {
  const { granted, denied } = stats.totals;
  const total = granted + denied;
  const items = [
    { label: 'Attempts', value: total },
    { label: 'Granted', value: granted, className: 'text-success' },
    { label: 'Denied', value: denied, className: 'text-danger' },
    {
      label: 'Denial rate',
      value: total === 0 ? '—' : `${Math.round((denied / total) * 1000) / 10}%`,
    },
  ];
  return (
    <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4">
      {items.map((item) => (
        <div key={item.label} className="rounded-md border p-3">
          <dt className="text-xs text-muted-foreground">{item.label}</dt>
          <dd className={cn('text-2xl font-semibold tabular-nums', item.className)}>
            {item.value}
          </dd>
        </div>
      ))}
    </dl>
  );
}

/** Stacked CSS bars, one per hour or day; each says its counts in words (aria-label, title). */
function Bars({ stats }: { stats: Stats }) {
  const max = Math.max(1, ...stats.series.map((b) => b.granted + b.denied));
  const unit = stats.bucket === 'hour' ? 'hour' : 'day';
  const label = (start: Date) =>
    stats.bucket === 'hour'
      ? `${start.toISOString().slice(11, 16)} UTC`
      : start.toISOString().slice(0, 10);
  const first = stats.series[0];
  const last = stats.series[stats.series.length - 1];
  return (
    <figure className="grid gap-2">
      <figcaption className="flex items-center gap-4 text-xs text-muted-foreground">
        <span>Exchange attempts per {unit}</span>
        <span className="flex items-center gap-1">
          <span aria-hidden className="inline-block size-2.5 rounded-sm bg-emerald-500" /> granted
        </span>
        <span className="flex items-center gap-1">
          <span aria-hidden className="inline-block size-2.5 rounded-sm bg-red-500" /> denied
        </span>
        <span className="ml-auto">max {max}</span>
      </figcaption>
      <ol
        aria-label={`Exchange attempts per ${unit}`}
        className="flex h-36 items-end gap-0.5 border-b border-l px-0.5"
      >
        {stats.series.map((b) => {
          const total = b.granted + b.denied;
          const text = `${stats.bucket === 'hour' ? formatUtc(b.start, 'minutes') : label(b.start)}: ${total} attempt${total === 1 ? '' : 's'}, ${b.granted} granted, ${b.denied} denied`;
          return (
            <li
              key={b.start.toISOString()}
              title={text}
              className="flex h-full flex-1 flex-col justify-end hover:opacity-80"
            >
              <span className="sr-only">{text}</span>
              <div
                className="bg-red-500"
                style={{ height: `${(b.denied / max) * 100}%` }}
                aria-hidden
              />
              <div
                className="bg-emerald-500"
                style={{ height: `${(b.granted / max) * 100}%` }}
                aria-hidden
              />
            </li>
          );
        })}
      </ol>
      <div aria-hidden className="flex justify-between text-[11px] text-muted-foreground">
        <span>{first ? label(first.start) : ''}</span>
        <span>{last ? label(last.start) : ''}</span>
      </div>
    </figure>
  );
}

function TopList({
  title,
  empty,
  rows,
}: {
  title: string;
  empty: string;
  rows: { key: string; label: ReactNode; count: number; extra?: string }[];
}) {
  return (
    <section className="grid content-start gap-2">
      <h3 className="text-sm font-medium">{title}</h3>
      {rows.length === 0 ? (
        <p className="text-xs text-muted-foreground">{empty}</p>
      ) : (
        <ol className="grid gap-1.5">
          {rows.map((r) => (
            <li key={r.key} className="flex items-start justify-between gap-2">
              <div className="min-w-0 break-all">{r.label}</div>
              <div className="shrink-0 text-right text-xs tabular-nums">
                <span className="font-medium">{r.count}</span>
                {r.extra ? <div className="text-[11px] text-danger">{r.extra}</div> : null}
              </div>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
