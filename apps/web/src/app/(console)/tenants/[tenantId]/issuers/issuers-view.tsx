'use client';

import type { TrustedIssuerConfig } from '@sts/core/config';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ConfirmDialog } from '~/components/confirm-dialog';
import { ListNoMatches } from '~/components/list/list-no-matches';
import { ListPagination } from '~/components/list/list-pagination';
import { ListSearch } from '~/components/list/list-search';
import { SortableHead } from '~/components/list/sortable-head';
import { type ListViewOptions, useListView } from '~/components/list/use-list-view';
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
import { errorMessage, useTRPC } from '~/lib/trpc';
import { readOnlyNote } from '../read-only-note';
import { IssuerFormDialog } from './issuer-form-dialog';

/** The keys column as text: the JWKS URI, or the inline keys' ids. */
const keysText = (i: TrustedIssuerConfig) =>
  i.jwksUri ??
  `${i.jwks?.keys.length ?? 0} inline key(s): ${
    i.jwks?.keys.map((k) => k.kid ?? '(no kid)').join(', ') ?? ''
  }`;

const LIST: ListViewOptions<TrustedIssuerConfig, 'issuer' | 'keys' | 'algorithms' | 'audiences'> = {
  searchText: (i) => [i.issuer, keysText(i), ...i.algorithms, ...i.audiences],
  sortBy: {
    issuer: (i) => i.issuer,
    keys: keysText,
    algorithms: (i) => i.algorithms.join(', '),
    audiences: (i) => i.audiences.join(', '),
  },
  initialSort: { column: 'issuer', direction: 'ascending' },
};

export function IssuersView({
  tenantId,
  canWrite,
  fileManaged = false,
}: {
  tenantId: string;
  canWrite: boolean;
  /** Read-only because the configuration file manages the tenant (not the role). */
  fileManaged?: boolean;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const issuers = useQuery(trpc.issuer.list.queryOptions({ tenantId }));
  const view = useListView(issuers.data, LIST);
  const refresh = async () => {
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.issuer.list.queryKey({ tenantId }) }),
      queryClient.invalidateQueries({ queryKey: trpc.tenant.get.queryKey({ tenantId }) }),
    ]);
  };
  const remove = useMutation(trpc.issuer.delete.mutationOptions({ onSuccess: refresh }));

  return (
    <Card>
      <CardHeader className="flex-row flex-wrap items-start justify-between gap-4">
        <div className="grid gap-1">
          <CardTitle>Trusted issuers</CardTitle>
          <CardDescription>
            Identity providers whose tokens this tenant accepts as subject or actor tokens.
            {canWrite ? null : readOnlyNote(fileManaged)}
          </CardDescription>
        </div>
        {canWrite ? (
          <IssuerFormDialog
            tenantId={tenantId}
            onSaved={refresh}
            trigger={<Button>Add issuer</Button>}
          />
        ) : null}
      </CardHeader>
      <CardContent className="grid gap-3">
        {issuers.isPending ? <Loading /> : null}
        {issuers.isError ? <ErrorState message={errorMessage(issuers.error)} /> : null}
        {issuers.data?.length === 0 ? (
          <Empty title="No trusted issuers yet">
            Without one, only this tenant&apos;s own tokens can be exchanged.
          </Empty>
        ) : null}
        {issuers.data && issuers.data.length > 0 ? (
          <>
            <ListSearch
              view={view}
              label="Search trusted issuers"
              placeholder="Search by issuer, key or audience"
            />
            <ListNoMatches view={view} noun="trusted issuers" />
            {view.matching > 0 ? (
              <Table>
                <TableHeader>
                  <TableRow>
                    <SortableHead view={view} column="issuer">
                      Issuer
                    </SortableHead>
                    <SortableHead view={view} column="keys" className="hidden md:table-cell">
                      Keys
                    </SortableHead>
                    <SortableHead view={view} column="algorithms" className="hidden sm:table-cell">
                      Algorithms
                    </SortableHead>
                    <SortableHead view={view} column="audiences" className="hidden lg:table-cell">
                      Audiences
                    </SortableHead>
                    {canWrite ? <TableHead className="text-right">Actions</TableHead> : null}
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {view.items.map((i) => (
                    <TableRow key={i.issuer} data-testid="issuer-row">
                      <TableCell className="break-all font-mono text-xs">
                        {i.issuer}
                        {!i.anyAudience && i.audiences.length === 0 ? (
                          <>
                            {' '}
                            <Badge variant="danger" className="font-sans">
                              accepts no token: set its audiences
                            </Badge>
                          </>
                        ) : null}
                      </TableCell>
                      <TableCell className="hidden break-all text-xs md:table-cell">
                        {i.jwksUri ? <span className="font-mono">{i.jwksUri}</span> : keysText(i)}
                      </TableCell>
                      <TableCell className="hidden font-mono text-xs sm:table-cell">
                        {i.algorithms.join(', ')}
                        <span className="block text-muted-foreground">
                          typ {i.accessTokenTyp.join(', ')}
                        </span>
                      </TableCell>
                      <TableCell className="hidden break-all font-mono text-xs lg:table-cell">
                        {i.audiences.length > 0 ? (
                          i.audiences.join(', ')
                        ) : i.anyAudience ? (
                          <Badge variant="warning" className="font-sans">
                            any audience
                          </Badge>
                        ) : (
                          <span className="font-sans text-muted-foreground">none</span>
                        )}
                      </TableCell>
                      {canWrite ? (
                        <TableCell>
                          <div className="flex justify-end gap-1">
                            <IssuerFormDialog
                              tenantId={tenantId}
                              existing={i}
                              onSaved={refresh}
                              trigger={
                                <Button variant="outline" size="sm">
                                  Edit
                                </Button>
                              }
                            />
                            <ConfirmDialog
                              trigger={
                                <Button variant="destructive" size="sm">
                                  Delete
                                </Button>
                              }
                              title="Stop trusting this issuer?"
                              description={`Tokens from ${i.issuer} will no longer be accepted. Rules naming it stay but no longer match.`}
                              confirmLabel="Delete issuer"
                              destructive
                              onConfirm={() => remove.mutateAsync({ tenantId, issuer: i.issuer })}
                            />
                          </div>
                        </TableCell>
                      ) : null}
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            ) : null}
            <ListPagination view={view} noun="trusted issuers" />
          </>
        ) : null}
      </CardContent>
    </Card>
  );
}
