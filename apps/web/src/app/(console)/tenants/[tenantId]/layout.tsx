import type { ReactNode } from 'react';
import { TenantNav } from './tenant-nav';

export default async function TenantLayout({
  children,
  params,
}: {
  children: ReactNode;
  params: Promise<{ tenantId: string }>;
}) {
  const { tenantId } = await params;
  return (
    <div className="grid gap-4">
      <TenantNav tenantId={tenantId} />
      {children}
    </div>
  );
}
