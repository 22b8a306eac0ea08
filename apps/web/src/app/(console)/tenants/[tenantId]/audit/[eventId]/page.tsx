import { Suspense } from 'react';
import { Loading } from '~/components/ui/states';
import { AuditEventDetail } from './event-detail';

export default async function AuditEventPage({
  params,
}: {
  params: Promise<{ tenantId: string; eventId: string }>;
}) {
  const { tenantId, eventId } = await params;
  return (
    <Suspense fallback={<Loading />}>
      <AuditEventDetail tenantId={tenantId} eventId={eventId} />
    </Suspense>
  );
}
