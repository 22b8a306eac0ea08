import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { defineConfig } from 'prisma/config';

/**
 * The Prisma CLI runs its WebAssembly schema engine over a driver adapter ("js" engine), so
 * `prisma generate` and `prisma migrate diff` download nothing. The CLI never touches a real
 * database here: migrations are applied by src/migrate.ts (docs/decisions/0002).
 */
export default defineConfig({
  schema: 'prisma/schema.prisma',
  experimental: { adapter: true },
  engine: 'js',
  adapter: async () => new PrismaBetterSQLite3({ url: ':memory:' }),
});
