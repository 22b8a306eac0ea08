'use client';

import { useInfiniteQuery } from '@tanstack/react-query';
import { ActionDetails } from '~/components/action-details';
import { LoadOlder } from '~/components/load-older';
import { Badge } from '~/components/ui/badge';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '~/components/ui/card';
import { Empty, ErrorState, Loading } from '~/components/ui/states';
import { formatUtc } from '~/lib/format';
import { errorMessage, useTRPC } from '~/lib/trpc';

/**
 * What owners changed console-wide (admins invited, changed, removed; invitations accepted),
 * newest first: a list rather than a table, so it reads on a phone too.
 */
export function ConsoleActivity() {
  const trpc = useTRPC();
  const actions = useInfiniteQuery(
    trpc.admin.actions.infiniteQueryOptions({}, { getNextPageParam: (page) => page.nextCursor }),
  );
  const items = actions.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Card>
      <CardHeader>
        <CardTitle>Admin activity</CardTitle>
        <CardDescription>
          Changes to the console&apos;s admins, newest first. Passwords and links are never
          recorded.
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-3">
        {actions.isPending ? <Loading label="Loading admin activity…" /> : null}
        {actions.isError ? <ErrorState message={errorMessage(actions.error)} /> : null}
        {actions.data && items.length === 0 ? (
          <Empty title="No admin activity yet">Invitations and changes will be listed here.</Empty>
        ) : null}
        {items.length > 0 ? (
          <ol className="grid divide-y rounded-md border" aria-label="Admin activity">
            {items.map((a) => (
              <li key={a.id} className="grid gap-1 p-3" data-testid="console-action">
                <div className="flex flex-wrap items-center gap-x-2 gap-y-1 text-sm">
                  <Badge variant="secondary" className="font-mono">
                    {a.action}
                  </Badge>
                  <span className="break-all font-medium">{a.target ?? '—'}</span>
                </div>
                <div className="text-xs text-muted-foreground">
                  <time dateTime={a.createdAt.toISOString()}>{formatUtc(a.createdAt)}</time> by{' '}
                  <span className="break-all">{a.actorEmail}</span>
                </div>
                {Object.keys(a.details).length > 0 ? <ActionDetails details={a.details} /> : null}
              </li>
            ))}
          </ol>
        ) : null}
        <LoadOlder pages={actions} what="actions" />
      </CardContent>
    </Card>
  );
}
