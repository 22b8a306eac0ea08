import { tenantAccess } from '../../overview-access';
import { RuleEditor } from '../rule-editor';

export default async function EditRulePage({
  params,
}: {
  params: Promise<{ tenantId: string; ruleId: string }>;
}) {
  const { tenantId, ruleId } = await params;
  const { canWrite } = await tenantAccess(tenantId);
  return <RuleEditor tenantId={tenantId} ruleId={ruleId} canWrite={canWrite} />;
}
