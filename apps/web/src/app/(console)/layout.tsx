import Link from 'next/link';
import { redirect } from 'next/navigation';
import type { ReactNode } from 'react';
import { SignOutButton } from '~/components/sign-out-button';
import { createContext } from '~/server/trpc/trpc';

export const dynamic = 'force-dynamic';

export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  // The admin as stored now (role changes, disabling and removal apply at once).
  const { admin } = await createContext();
  if (!admin) redirect('/sign-in');
  return (
    <div className="min-h-screen">
      <header className="border-b bg-white">
        <div className="mx-auto flex h-14 max-w-6xl items-center justify-between gap-3 px-4">
          <nav aria-label="Console" className="flex min-w-0 items-center gap-4">
            <Link href="/tenants" className="truncate font-semibold">
              Token Exchange STS
            </Link>
            {admin.role === 'owner' ? (
              <Link href="/admins" className="text-sm text-muted-foreground hover:text-foreground">
                Admins
              </Link>
            ) : null}
          </nav>
          <div className="flex min-w-0 items-center gap-3 text-sm text-muted-foreground">
            <span data-testid="signed-in-as" className="hidden truncate sm:inline">
              {admin.email}
            </span>
            <SignOutButton />
          </div>
        </div>
      </header>
      <main className="mx-auto max-w-6xl px-4 py-6">{children}</main>
    </div>
  );
}
