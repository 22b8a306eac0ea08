'use client';

import { useQuery } from '@tanstack/react-query';
import { Building2, ChevronsUpDown } from 'lucide-react';
import Link from 'next/link';
import { usePathname, useRouter } from 'next/navigation';
import { Button } from '~/components/ui/button';
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuRadioGroup,
  DropdownMenuRadioItem,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from '~/components/ui/dropdown-menu';
import { useTRPC } from '~/lib/trpc';
import { tenantPath, tenantSectionOf } from './tenants/[tenantId]/sections';

/**
 * On a tenant's pages: the current tenant, and a menu of the admin's other tenants that opens
 * the same section there (a client's page opens the other tenant's client list).
 */
export function TenantSwitcher() {
  const trpc = useTRPC();
  const router = useRouter();
  const here = tenantSectionOf(usePathname());
  const tenants = useQuery({ ...trpc.tenant.list.queryOptions(), enabled: here !== null });
  if (!here) return null;
  const current = tenants.data?.find((t) => t.id === here.tenantId);
  const name = current?.displayName ?? here.tenantId;
  return (
    <DropdownMenu>
      <DropdownMenuTrigger asChild>
        <Button
          variant="outline"
          size="sm"
          className="min-w-0 max-w-[11rem] sm:max-w-xs"
          aria-label={`Switch tenant, current: ${name}`}
        >
          <Building2 aria-hidden />
          <span className="truncate">{name}</span>
          <ChevronsUpDown aria-hidden />
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="start" className="w-72">
        <DropdownMenuLabel>Switch tenant</DropdownMenuLabel>
        {tenants.isPending ? <DropdownMenuLabel>Loading…</DropdownMenuLabel> : null}
        <DropdownMenuRadioGroup
          value={here.tenantId}
          onValueChange={(tenantId) => router.push(`${tenantPath(tenantId)}${here.section}`)}
        >
          {tenants.data?.map((t) => (
            <DropdownMenuRadioItem key={t.id} value={t.id} textValue={t.displayName}>
              <span className="grid min-w-0">
                <span className="truncate">{t.displayName}</span>
                <span className="truncate font-mono text-xs text-muted-foreground">{t.id}</span>
              </span>
            </DropdownMenuRadioItem>
          ))}
        </DropdownMenuRadioGroup>
        <DropdownMenuSeparator />
        <DropdownMenuItem asChild>
          <Link href="/tenants">All tenants</Link>
        </DropdownMenuItem>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
