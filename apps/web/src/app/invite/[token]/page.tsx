import { AcceptInvitationForm } from './accept-invitation-form';

export const dynamic = 'force-dynamic';

/** An invitee sets their password with the link an owner sent them. No sign-in needed. */
export default async function InvitationPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  return (
    <main className="flex min-h-screen items-center justify-center p-4">
      <AcceptInvitationForm token={token} />
    </main>
  );
}
