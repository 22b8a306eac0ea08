'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { useTRPC } from '~/lib/trpc';
import { cn } from '~/lib/utils';
import { TENANT_SECTIONS } from './sections';

export function TenantNav({ tenantId }: { tenantId: string }) {
  const trpc = useTRPC();
  const tenant = useQuery(trpc.tenant.get.queryOptions({ tenantId }));
  const pathname = usePathname();
  const base = `/tenants/${tenantId}`;
  return (
    <div className="grid gap-3">
      <div className="flex flex-wrap items-baseline gap-x-2 gap-y-1">
        <Link href="/tenants" className="text-sm text-muted-foreground hover:underline">
          Tenants
        </Link>
        <span className="text-muted-foreground">/</span>
        <h1 className="break-words text-xl font-semibold">
          {tenant.data?.displayName ?? tenantId}
        </h1>
        <span className="break-all font-mono text-xs text-muted-foreground">
          {tenant.data?.issuer}
        </span>
      </div>
      <nav aria-label="Tenant sections" className="flex flex-wrap gap-1 border-b">
        {TENANT_SECTIONS.map((s) => {
          const href = `${base}${s.href}`;
          const active = s.href === '' ? pathname === base : pathname.startsWith(href);
          return (
            <Link
              key={s.label}
              href={href}
              aria-current={active ? 'page' : undefined}
              className={cn(
                '-mb-px border-b-2 px-3 py-2 text-sm',
                active
                  ? 'border-primary font-medium text-primary'
                  : 'border-transparent text-muted-foreground hover:text-foreground',
              )}
            >
              {s.label}
            </Link>
          );
        })}
      </nav>
    </div>
  );
}
