import Link from 'next/link';
import { redirect } from 'next/navigation';
import { getServerSession } from 'next-auth';
import type { ReactNode } from 'react';
import { SignOutButton } from '~/components/sign-out-button';
import { authOptions } from '~/server/auth';

export const dynamic = 'force-dynamic';

export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const session = (await getServerSession(await authOptions())) as {
    adminId?: string;
    user?: { email?: string };
  } | null;
  if (!session?.adminId) redirect('/sign-in');
  return (
    <div className="min-h-screen">
      <header className="border-b bg-white">
        <div className="mx-auto flex h-14 max-w-6xl items-center justify-between px-4">
          <Link href="/tenants" className="font-semibold">
            Token Exchange STS
          </Link>
          <div className="flex items-center gap-3 text-sm text-muted-foreground">
            <span data-testid="signed-in-as">{session.user?.email}</span>
            <SignOutButton />
          </div>
        </div>
      </header>
      <main className="mx-auto max-w-6xl px-4 py-6">{children}</main>
    </div>
  );
}
