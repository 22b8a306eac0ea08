import { notFound } from 'next/navigation';
import { createContext } from '~/server/trpc/trpc';
import { AdminsView } from './admins-view';

/** Owners only: for anyone else the page does not exist (the admin.* procedures say FORBIDDEN). */
export default async function AdminsPage() {
  const { admin } = await createContext();
  if (admin?.role !== 'owner') notFound();
  return <AdminsView currentAdminId={admin.id} />;
}
