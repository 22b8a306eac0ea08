import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { Providers } from '~/lib/trpc';
import './globals.css';

export const metadata: Metadata = { title: 'Token Exchange STS — Console' };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen font-sans antialiased">
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
