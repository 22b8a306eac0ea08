import type { NextConfig } from 'next';

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
          { key: 'X-Frame-Options', value: 'DENY' },
          { key: 'X-Content-Type-Options', value: 'nosniff' },
          { key: 'Referrer-Policy', value: 'same-origin' },
        ],
      },
    ];
  },
};

export default config;
