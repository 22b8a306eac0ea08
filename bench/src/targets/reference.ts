/**
 * The peer (servers/peer.mjs: oidc-provider with a token exchange grant) and the crypto limit
 * (servers/limit.mjs: node:http + node:crypto, or jose for `limit-jose`), each in its own pinned
 * process, signing with the mode's algorithm.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CLIENT_ID,
  CLIENT_SECRET,
  generateSigningKey,
  IDP_ISSUER,
  type KeyPair,
  SUBJECT_AUDIENCE,
  TARGET_AUDIENCE,
} from '../fixtures';
import { cleanEnv, listeningUrl, spawnPinned, type Target } from './target';

const SERVERS = fileURLToPath(new URL('../../servers/', import.meta.url));

export interface ServerOptions {
  name: string;
  dir: string;
  idp: KeyPair;
  cpus: string;
}

async function startServer(
  script: string,
  o: ServerOptions,
  extra: Record<string, string> = {},
): Promise<Target> {
  const own = await generateSigningKey(o.idp.alg, `${o.name}-1`);
  const settingsFile = join(o.dir, `${o.name}.json`);
  writeFileSync(
    settingsFile,
    JSON.stringify({
      alg: o.idp.alg,
      issuer: `https://${o.name}.bench.test`,
      idpIssuer: IDP_ISSUER,
      idpPublicJwk: o.idp.publicJwk,
      signingPrivateJwk: own.privateJwk,
      clientId: CLIENT_ID,
      secret: CLIENT_SECRET,
      subjectAudience: SUBJECT_AUDIENCE,
      targetAudience: TARGET_AUDIENCE,
      ...extra,
    }),
  );
  const server = spawnPinned(
    o.cpus,
    [join(SERVERS, script), settingsFile],
    cleanEnv({ NODE_ENV: 'production' }),
    join(o.dir, `${o.name}.log`),
  );
  const base = await listeningUrl(server, o.name);
  return {
    name: o.name,
    tokenUrl: `${base}/token`,
    cpuPids: [server.pid],
    rssPids: [server.pid],
    log: server.log,
    warnings: server.warnings,
    async stop() {
      await server.stop();
      return undefined;
    },
  };
}

export const startPeer = (o: ServerOptions) => startServer('peer.mjs', o);
export const startLimit = (o: ServerOptions) => startServer('limit.mjs', o);
export const startLimitJose = (o: ServerOptions) =>
  startServer('limit.mjs', o, { library: 'jose' });
