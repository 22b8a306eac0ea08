import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { Providers } from '~/lib/trpc';
import './globals.css';

export const metadata: Metadata = { title: 'Token Exchange STS — Console' };

// Every page is rendered per request: its scripts carry that response's CSP nonce (src/proxy.ts).
export const dynamic = 'force-dynamic';

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen font-sans antialiased">
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
