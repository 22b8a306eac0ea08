'use client';

import type { TenantView } from '@sts/console';
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { ListNoMatches } from '~/components/list/list-no-matches';
import { ListPagination } from '~/components/list/list-pagination';
import { ListSearch } from '~/components/list/list-search';
import { SortableHead } from '~/components/list/sortable-head';
import { type ListViewOptions, useListView } from '~/components/list/use-list-view';
import { Badge } from '~/components/ui/badge';
import { Card, CardContent, CardHeader, CardTitle } from '~/components/ui/card';
import { Empty, ErrorState, Loading } from '~/components/ui/states';
import { Table, TableBody, TableCell, TableHeader, TableRow } from '~/components/ui/table';
import { errorMessage, useTRPC } from '~/lib/trpc';
import { CreateTenantDialog } from './create-tenant-dialog';

const LIST: ListViewOptions<TenantView, 'tenant' | 'issuer' | 'clients' | 'issuers' | 'rules'> = {
  searchText: (t) => [t.id, t.displayName, t.issuer],
  sortBy: {
    tenant: (t) => t.displayName,
    issuer: (t) => t.issuer,
    clients: (t) => t.clients,
    issuers: (t) => t.trustedIssuers,
    rules: (t) => t.rules,
  },
};

export function TenantList({ canCreate }: { canCreate: boolean }) {
  const trpc = useTRPC();
  const tenants = useQuery(trpc.tenant.list.queryOptions());
  const view = useListView(tenants.data, LIST);
  return (
    <Card>
      <CardHeader className="flex-row flex-wrap items-center justify-between gap-3">
        <CardTitle>Tenants</CardTitle>
        {canCreate ? <CreateTenantDialog /> : null}
      </CardHeader>
      <CardContent className="grid gap-3">
        {tenants.isPending ? <Loading /> : null}
        {tenants.isError ? <ErrorState message={errorMessage(tenants.error)} /> : null}
        {tenants.data?.length === 0 ? (
          <Empty title="No tenants yet">Create one to get an issuer and a token endpoint.</Empty>
        ) : null}
        {tenants.data && tenants.data.length > 0 ? (
          <>
            <ListSearch
              view={view}
              label="Search tenants"
              placeholder="Search by id, name or issuer"
            />
            <ListNoMatches view={view} noun="tenants" />
            {view.matching > 0 ? (
              <Table>
                <TableHeader>
                  <TableRow>
                    <SortableHead view={view} column="tenant">
                      Tenant
                    </SortableHead>
                    <SortableHead view={view} column="issuer" className="hidden md:table-cell">
                      Issuer
                    </SortableHead>
                    <SortableHead view={view} column="clients">
                      Clients
                    </SortableHead>
                    <SortableHead view={view} column="issuers">
                      Issuers
                    </SortableHead>
                    <SortableHead view={view} column="rules">
                      Rules
                    </SortableHead>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {view.items.map((t) => (
                    <TableRow key={t.id} data-testid="tenant-row">
                      <TableCell>
                        <Link
                          className="break-words font-medium text-primary hover:underline"
                          href={`/tenants/${t.id}`}
                        >
                          {t.displayName}
                        </Link>{' '}
                        <span className="break-all text-xs text-muted-foreground">{t.id}</span>{' '}
                        {t.source === 'file' ? (
                          <Badge variant="secondary">config file</Badge>
                        ) : null}
                        {t.removedFromFileAt ? (
                          <Badge variant="warning">no longer in the configuration file</Badge>
                        ) : null}
                      </TableCell>
                      <TableCell className="hidden break-all font-mono text-xs md:table-cell">
                        {t.issuer}
                      </TableCell>
                      <TableCell>{t.clients}</TableCell>
                      <TableCell>{t.trustedIssuers}</TableCell>
                      <TableCell>{t.rules}</TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            ) : null}
            <ListPagination view={view} noun="tenants" />
          </>
        ) : null}
      </CardContent>
    </Card>
  );
}
