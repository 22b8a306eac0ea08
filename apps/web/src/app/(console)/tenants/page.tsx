import { createContext } from '~/server/trpc/trpc';
import { TenantList } from './tenant-list';

export default async function TenantsPage() {
  // Only hides the control: tenant.create checks the role again.
  const { admin } = await createContext();
  return <TenantList canCreate={admin?.role === 'owner'} />;
}
