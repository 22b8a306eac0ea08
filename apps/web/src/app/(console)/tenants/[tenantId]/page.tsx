import { tenantAccess } from './overview-access';
import { OverviewView } from './overview-view';

export default async function TenantOverviewPage({
  params,
}: {
  params: Promise<{ tenantId: string }>;
}) {
  const { tenantId } = await params;
  return <OverviewView tenantId={tenantId} access={await tenantAccess(tenantId)} />;
}
