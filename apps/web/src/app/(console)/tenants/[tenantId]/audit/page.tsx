import { Suspense } from 'react';
import { Loading } from '~/components/ui/states';
import { AuditView } from './audit-view';

export default async function AuditPage({ params }: { params: Promise<{ tenantId: string }> }) {
  const { tenantId } = await params;
  return (
    <Suspense fallback={<Loading />}>
      <AuditView tenantId={tenantId} />
    </Suspense>
  );
}
