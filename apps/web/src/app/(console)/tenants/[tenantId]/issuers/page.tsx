import { tenantAccess } from '../overview-access';
import { IssuersView } from './issuers-view';

export default async function IssuersPage({ params }: { params: Promise<{ tenantId: string }> }) {
  const { tenantId } = await params;
  const { canWrite, fileManaged } = await tenantAccess(tenantId);
  return <IssuersView tenantId={tenantId} canWrite={canWrite} fileManaged={fileManaged} />;
}
