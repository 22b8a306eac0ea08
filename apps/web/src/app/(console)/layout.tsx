import Link from 'next/link';
import { redirect } from 'next/navigation';
import type { ReactNode } from 'react';
import { SignOutButton } from '~/components/sign-out-button';
import { createContext } from '~/server/trpc/trpc';
import { TenantSwitcher } from './tenant-switcher';

export const dynamic = 'force-dynamic';

export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  // The admin as stored now (role changes, disabling and removal apply at once).
  const { admin } = await createContext();
  if (!admin) redirect('/sign-in');
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
          <nav aria-label="Console" className="flex min-w-0 items-center gap-3">
            <Link href="/tenants" className="shrink-0 font-semibold">
              Token Exchange STS
            </Link>
            <TenantSwitcher />
            {admin.role === 'owner' ? (
              <Link href="/admins" className="text-sm text-muted-foreground hover:text-foreground">
                Admins
              </Link>
            ) : null}
          </nav>
          <div className="flex min-w-0 items-center gap-3 text-sm text-muted-foreground">
            <Link
              href="/account"
              data-testid="signed-in-as"
              className="truncate hover:text-foreground"
              title="Your account"
            >
              {admin.email}
            </Link>
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
