import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { defineConfig } from '@playwright/test';
import { E2E } from './fixtures/env';
import { e2eFileTenantsYaml } from './fixtures/file-tenants';
import { SSO } from './fixtures/sso';

/**
 * Browser tests against the real built console and the real STS (both started by
 * scripts/start-demo.mjs on a fresh SQLite file, or, in the PostgreSQL pass (test:e2e:postgres),
 * on the database of the throwaway server scripts/with-postgres.mjs starts), in Debian's headless
 * Chromium. The console signs in through a real OpenID Connect provider on loopback too
 * (fixtures/oidc-idp.ts).
 */
const dataDir = mkdtempSync(join(tmpdir(), 'sts-e2e-'));
const databaseUrl = process.env.STS_TEST_POSTGRES_URL ?? `file:${join(dataDir, 'sts.db')}`;
const root = resolve(import.meta.dirname, '../../..');
/** The demo's config file plus file-managed tenants the tests may change (fixtures/file-tenants.ts). */
const configFile = join(dataDir, 'config.yaml');
writeFileSync(
  configFile,
  readFileSync(join(root, 'config/demo.yaml'), 'utf8').trimEnd() + e2eFileTenantsYaml(),
);

export default defineConfig({
  testDir: '.',
  outputDir: '../test-results',
  fullyParallel: false,
  workers: 1,
  // No retries: a flaky test is a bug to fix, not to hide.
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  use: {
    baseURL: E2E.consoleUrl,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  projects: [
    { name: 'api', testMatch: /.*\.api\.spec\.ts/ },
    { name: 'ui', testMatch: /.*\.ui\.spec\.ts/ },
  ],
  webServer: [
    {
      command: 'node --import tsx e2e/fixtures/oidc-idp.ts',
      cwd: resolve(import.meta.dirname, '..'),
      url: `${SSO.issuer}/.well-known/openid-configuration`,
      timeout: 30_000,
      reuseExistingServer: false,
      stdout: 'ignore',
      stderr: 'pipe',
    },
    {
      command: 'node scripts/start-demo.mjs',
      cwd: root,
      // Stopped as a process manager would: SIGTERM, which the launcher passes on and waits for.
      gracefulShutdown: { signal: 'SIGTERM', timeout: 15_000 },
      url: `${E2E.consoleUrl}/sign-in`,
      timeout: 120_000,
      reuseExistingServer: false,
      stdout: 'ignore',
      stderr: 'pipe',
      env: {
        STS_PORT: String(E2E.stsPort),
        CONSOLE_PORT: String(E2E.consolePort),
        STS_DATABASE_URL: databaseUrl,
        STS_DATA_DIR: dataDir,
        STS_CONFIG_FILE: configFile,
        STS_CONFIG_POLL_MS: '500',
        STS_ALLOW_LOOPBACK_HTTP_JWKS: 'true',
        // The suite polls the STS from loopback; the limits are tested in apps/sts.
        STS_RATE_LIMIT_PER_ADDRESS: '0',
        STS_RATE_LIMIT_PER_CLIENT: '0',
        CONSOLE_ADMIN_EMAIL: E2E.adminEmail,
        CONSOLE_ADMIN_PASSWORD: E2E.adminPassword,
        CONSOLE_OIDC_ISSUER: SSO.issuer,
        CONSOLE_OIDC_CLIENT_ID: SSO.clientId,
        CONSOLE_OIDC_CLIENT_SECRET: SSO.clientSecret,
        CONSOLE_OIDC_NAME: SSO.name,
        CONSOLE_OIDC_AUTO_CREATE_ROLE: SSO.autoCreateRole,
      },
    },
  ],
});
