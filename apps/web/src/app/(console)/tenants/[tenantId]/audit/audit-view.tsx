'use client';

import Link from 'next/link';
import { useSearchParams } from 'next/navigation';
import { ErrorState } from '~/components/ui/states';
import { cn } from '~/lib/utils';
import { AdminActivity } from './admin-activity';
import { AuditDashboard } from './audit-dashboard';
import { AuditExplorer } from './audit-explorer';
import { auditPath, auditQuery, readAuditUrl } from './audit-url';

/** The audit section: exchanges (dashboard and explorer) or admin activity, as the URL says. */
export function AuditView({ tenantId }: { tenantId: string }) {
  const searchParams = useSearchParams();
  const { state, ignored } = readAuditUrl(new URLSearchParams(searchParams.toString()));
  const base = auditPath(tenantId);
  const tabs = [
    { view: 'exchanges', label: 'Exchanges', href: base },
    { view: 'admin', label: 'Admin activity', href: `${base}${auditQuery({ view: 'admin' })}` },
  ] as const;
  return (
    <div className="grid grid-cols-1 gap-4">
      <nav aria-label="Audit views" className="flex gap-1">
        {tabs.map((tab) => (
          <Link
            key={tab.view}
            href={tab.href}
            aria-current={state.view === tab.view ? 'page' : undefined}
            className={cn(
              'rounded-md px-3 py-1.5 text-sm',
              state.view === tab.view
                ? 'bg-primary text-primary-foreground'
                : 'text-muted-foreground hover:bg-accent hover:text-foreground',
            )}
          >
            {tab.label}
          </Link>
        ))}
        <span className="ml-auto self-center text-xs text-muted-foreground">All times are UTC</span>
      </nav>
      {ignored.length > 0 ? (
        <ErrorState
          message={`The link has values that are not valid and were ignored: ${ignored.join(', ')}`}
        />
      ) : null}
      {state.view === 'admin' ? (
        <AdminActivity tenantId={tenantId} />
      ) : (
        <>
          <AuditDashboard tenantId={tenantId} state={state} />
          <AuditExplorer tenantId={tenantId} state={state} />
        </>
      )}
    </div>
  );
}
