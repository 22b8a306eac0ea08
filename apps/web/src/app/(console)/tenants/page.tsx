import { TenantList } from './tenant-list';

export default function TenantsPage() {
  return <TenantList />;
}
