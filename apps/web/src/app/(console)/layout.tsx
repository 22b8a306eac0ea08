import Link from 'next/link';
import { redirect } from 'next/navigation';
import { getServerSession } from 'next-auth';
import type { ReactNode } from 'react';
import { SignOutButton } from '~/components/sign-out-button';
import { authOptions } from '~/server/auth';
import { TenantSwitcher } from './tenant-switcher';

export const dynamic = 'force-dynamic';

export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const session = (await getServerSession(await authOptions())) as {
    adminId?: string;
    user?: { email?: string };
  } | null;
  if (!session?.adminId) redirect('/sign-in');
  return (
    <div className="min-h-screen">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded-md focus:bg-background focus:px-3 focus:py-2 focus:text-sm focus:shadow"
      >
        Skip to content
      </a>
      <header className="border-b bg-card">
        <div className="mx-auto flex min-h-14 max-w-6xl flex-wrap items-center justify-between gap-x-4 gap-y-2 px-4 py-2">
          <div className="flex min-w-0 items-center gap-3">
            <Link href="/tenants" className="shrink-0 font-semibold">
              Token Exchange STS
            </Link>
            <TenantSwitcher />
          </div>
          <div className="flex min-w-0 items-center gap-3 text-sm text-muted-foreground">
            <span data-testid="signed-in-as" className="truncate">
              {session.user?.email}
            </span>
            <SignOutButton />
          </div>
        </div>
      </header>
      <main id="main" tabIndex={-1} className="mx-auto max-w-6xl px-4 py-6 outline-none">
        {children}
      </main>
    </div>
  );
}
