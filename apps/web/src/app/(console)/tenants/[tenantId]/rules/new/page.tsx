import { tenantAccess } from '../../overview-access';
import { RuleEditor } from '../rule-editor';

export default async function NewRulePage({ params }: { params: Promise<{ tenantId: string }> }) {
  const { tenantId } = await params;
  const { canWrite } = await tenantAccess(tenantId);
  return <RuleEditor tenantId={tenantId} canWrite={canWrite} />;
}
