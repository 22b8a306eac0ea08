import { consoleEnv } from '~/env';
import { tenantAccess } from '../overview-access';
import { KeysView } from './keys-view';

export default async function SigningKeysPage({
  params,
}: {
  params: Promise<{ tenantId: string }>;
}) {
  const { tenantId } = await params;
  const { canManage } = await tenantAccess(tenantId);
  return (
    <KeysView
      tenantId={tenantId}
      canWrite={canManage}
      prepublishSeconds={consoleEnv().STS_KEY_PREPUBLISH_SECONDS}
    />
  );
}
