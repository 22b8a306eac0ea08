import { tenantAccess } from '../overview-access';
import { ClientsView } from './clients-view';

export default async function ClientsPage({ params }: { params: Promise<{ tenantId: string }> }) {
  const { tenantId } = await params;
  const { canWrite, fileManaged } = await tenantAccess(tenantId);
  return <ClientsView tenantId={tenantId} canWrite={canWrite} fileManaged={fileManaged} />;
}
