import { tenantAccess } from '../overview-access';
import { SimulatorView } from './simulator-view';

export default async function SimulatorPage({
  params,
  searchParams,
}: {
  params: Promise<{ tenantId: string }>;
  searchParams: Promise<{ draft?: string | string[] }>;
}) {
  const { tenantId } = await params;
  const { draft } = await searchParams;
  const { canWrite } = await tenantAccess(tenantId);
  return <SimulatorView tenantId={tenantId} canWrite={canWrite} withDraft={draft === '1'} />;
}
