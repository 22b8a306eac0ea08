import type { NextConfig } from 'next';
import { API_CONTENT_SECURITY_POLICY } from './src/lib/csp';

const config: NextConfig = {
  // Workspace packages export TypeScript source.
  transpilePackages: ['@sts/core', '@sts/crypto', '@sts/db', '@sts/console'],
  // Native and engine-adjacent modules stay plain Node requires on the server.
  serverExternalPackages: ['better-sqlite3', '@prisma/adapter-better-sqlite3', '@prisma/client'],
  poweredByHeader: false,
  typedRoutes: false,
  async headers() {
    return [
      {
        source: '/:path*',
        headers: [
          // Pages also get a Content-Security-Policy with a nonce (src/proxy.ts).
          { key: 'X-Frame-Options', value: 'DENY' },
          { key: 'X-Content-Type-Options', value: 'nosniff' },
          { key: 'Referrer-Policy', value: 'same-origin' },
          { key: 'Cross-Origin-Opener-Policy', value: 'same-origin' },
          { key: 'Cross-Origin-Resource-Policy', value: 'same-origin' },
          {
            key: 'Permissions-Policy',
            value: 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
          },
        ],
      },
      {
        source: '/api/:path*',
        headers: [{ key: 'Content-Security-Policy', value: API_CONTENT_SECURITY_POLICY }],
      },
    ];
  },
};

export default config;
