import { notFound } from 'next/navigation';
import type { ReactNode } from 'react';
import { tenantAccess } from './overview-access';
import { TenantNav } from './tenant-nav';
import { TenantSourceBanner } from './tenant-source-banner';

/**
 * Every tab of a tenant. A tenant that does not exist, or that the admin may not see, is one
 * clear "no such tenant" page (HTTP 404) on every tab, never believable empty states.
 */
export default async function TenantLayout({
  children,
  params,
}: {
  children: ReactNode;
  params: Promise<{ tenantId: string }>;
}) {
  const { tenantId } = await params;
  const access = await tenantAccess(tenantId);
  if (!access.exists) notFound();
  return (
    // One column that may shrink below its content's width (wide tables scroll inside their card).
    <div className="grid grid-cols-1 gap-4">
      <TenantNav tenantId={tenantId} />
      <TenantSourceBanner tenantId={tenantId} canDetach={access.canManage} />
      {children}
    </div>
  );
}
