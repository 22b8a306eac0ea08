import { tenantAccess } from '../../overview-access';
import { ClientDetailView } from './client-detail-view';

export default async function ClientPage({
  params,
}: {
  params: Promise<{ tenantId: string; clientId: string }>;
}) {
  const { tenantId, clientId } = await params;
  const { canWrite } = await tenantAccess(tenantId);
  return (
    <ClientDetailView
      tenantId={tenantId}
      clientId={decodeURIComponent(clientId)}
      canWrite={canWrite}
    />
  );
}
