import { tenantAccess } from '../overview-access';
import { RulesView } from './rules-view';

export default async function RulesPage({ params }: { params: Promise<{ tenantId: string }> }) {
  const { tenantId } = await params;
  const { canWrite } = await tenantAccess(tenantId);
  return <RulesView tenantId={tenantId} canWrite={canWrite} />;
}
