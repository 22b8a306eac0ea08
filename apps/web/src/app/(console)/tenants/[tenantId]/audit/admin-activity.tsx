'use client';

import { useInfiniteQuery } from '@tanstack/react-query';
import { ActionDetails } from '~/components/action-details';
import { LoadOlder } from '~/components/load-older';
import { Badge } from '~/components/ui/badge';
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

/** What admins changed in this tenant: who, what, when, on what. Read-only. */
export function AdminActivity({ tenantId }: { tenantId: string }) {
  const trpc = useTRPC();
  const actions = useInfiniteQuery(
    trpc.audit.adminActions.infiniteQueryOptions(
      { tenantId },
      { getNextPageParam: (page) => page.nextCursor },
    ),
  );
  const items = actions.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Card>
      <CardHeader>
        <CardTitle>Admin activity</CardTitle>
        <CardDescription>
          Every change made in the console to this tenant, newest first. Secrets are never recorded.
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-3">
        {actions.isPending ? <Loading label="Loading admin activity…" /> : null}
        {actions.isError ? <ErrorState message={errorMessage(actions.error)} /> : null}
        {actions.data && items.length === 0 ? (
          <Empty title="No admin activity yet">
            Changes made in the console to this tenant will be listed here.
          </Empty>
        ) : null}
        {items.length > 0 ? (
          <Table>
            <TableHeader>
              <TableRow>
                <TableHead>When</TableHead>
                <TableHead>Who</TableHead>
                <TableHead>What</TableHead>
                <TableHead>Target</TableHead>
                <TableHead>Details</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {items.map((a) => (
                <TableRow key={a.id}>
                  <TableCell className="whitespace-nowrap align-top">
                    <time dateTime={a.createdAt.toISOString()}>{formatUtc(a.createdAt)}</time>
                  </TableCell>
                  <TableCell className="align-top text-xs">{a.actorEmail}</TableCell>
                  <TableCell className="align-top">
                    <Badge variant="secondary" className="font-mono">
                      {a.action}
                    </Badge>
                  </TableCell>
                  <TableCell className="align-top font-mono text-xs">{a.target ?? '—'}</TableCell>
                  <TableCell className="align-top">
                    <ActionDetails details={a.details} />
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        ) : null}
        <LoadOlder pages={actions} what="actions" />
      </CardContent>
    </Card>
  );
}
