'use client';

import { useState } from 'react';
import { AdminsTable } from './admins-table';
import { ConsoleActivity } from './console-activity';
import { type HandedOver, HandOverDialog } from './hand-over-dialog';

/** The Admins page: the admins with their actions, then what owners changed console-wide. */
export function AdminsView({
  currentAdminId,
  ssoName,
}: {
  currentAdminId: string;
  /** The single-sign-on provider's name, when the console has one. */
  ssoName?: string;
}) {
  /** A link or password the server just made: held only while its dialog is open. */
  const [handedOver, setHandedOver] = useState<HandedOver | null>(null);
  return (
    <div className="grid gap-4">
      <h1 className="text-xl font-semibold">Admins</h1>
      <AdminsTable currentAdminId={currentAdminId} onHandOver={setHandedOver} ssoName={ssoName} />
      <ConsoleActivity />
      <HandOverDialog shown={handedOver} onClose={() => setHandedOver(null)} />
    </div>
  );
}
