import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { mintDemoToken } from './cli/mint-demo-token';
import { environment, readEnv } from './env';
import { createLogger } from './runtime/logger';
import { closeOnSignals, startSts } from './start';

/**
 * `pnpm start`: the STS with the demo tenant of config/demo.yaml on an embedded SQLite file,
 * and a ready-to-paste exchange. STS_* variables still override every default. The STS logs JSON
 * lines as in production; the banner below is plain text, for the person trying the demo.
 */
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
/** The command the README uses: `npx -y pnpm@<the repository's pnpm>`. */
const pnpm = `npx -y ${
  (JSON.parse(readFileSync(`${repoRoot}package.json`, 'utf8')) as { packageManager: string })
    .packageManager
}`;
const env = readEnv({
  STS_CONFIG_FILE: 'config/demo.yaml',
  STS_DATABASE_URL: 'file:.data/demo.db',
  STS_PORT: '8080',
});

const log = createLogger(env.STS_LOG_LEVEL);

try {
  const sts = await startSts(env, environment(), repoRoot, { log });
  closeOnSignals(sts);
  const issuer = `${sts.publicUrl}/t/demo`;
  const token = await mintDemoToken({
    sub: 'alice',
    scope: 'orders:read orders:write calendar:read',
    claims: { email: 'alice@demo.example' },
  });
  console.log(`
Token exchange STS (demo) is running.

  Issuer     ${issuer}
  Metadata   ${sts.publicUrl}/.well-known/oauth-authorization-server/t/demo
  JWKS       ${issuer}/jwks.json
  Database   ${env.STS_DATABASE_URL} (SQLite)

Exchange a user's token from the demo identity provider (valid 1 hour; mint more with
\`${pnpm} -s mint-demo-token --sub bob\`), as the demo gateway, for a token for the
orders API with a narrower scope:

  curl -s ${issuer}/token \\
    -u demo-gateway:demo-gateway-secret-0123456789abcdef \\
    -d grant_type=urn:ietf:params:oauth:grant-type:token-exchange \\
    -d subject_token=${token} \\
    -d subject_token_type=urn:ietf:params:oauth:token-type:access_token \\
    -d audience=https://orders.demo.example \\
    -d scope=orders:read

Press Ctrl+C to stop.`);
} catch (err) {
  if (err instanceof TypeError) log.fatal(err.message);
  else log.fatal({ err }, 'STS start failed');
  process.exit(1);
}
