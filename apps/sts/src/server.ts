import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { temporarilyUnavailable, toOAuthError } from '@sts/core';
import type { StsApp } from './app';
import { writeJson, writeOAuthError } from './http/write';
import { jwksRoute, metadataRoute } from './routes/discovery';
import { introspectRoute } from './routes/introspect';
import { tokenRoute } from './routes/token';
import type { TenantRuntime } from './runtime/tenant-registry';

type Handler = (
  app: StsApp,
  runtime: TenantRuntime,
  req: IncomingMessage,
  res: ServerResponse,
) => unknown;

/** Tenant routes: `/t/<id>/<route>`, and RFC 8414 §3's `/.well-known/oauth-authorization-server/t/<id>`. */
const TENANT_ROUTES: Record<string, { method: 'GET' | 'POST'; handler: Handler }> = {
  token: { method: 'POST', handler: tokenRoute },
  introspect: { method: 'POST', handler: introspectRoute },
  'jwks.json': { method: 'GET', handler: (a, r, _q, res) => jwksRoute(a, r, res) },
  '.well-known/oauth-authorization-server': {
    method: 'GET',
    handler: (_a, r, _q, res) => metadataRoute(r, res),
  },
};

const TENANT_PATH = /^\/t\/([a-z0-9][a-z0-9_-]{0,62})\/(.+)$/;
const WELL_KNOWN_PATH =
  /^\/\.well-known\/oauth-authorization-server\/t\/([a-z0-9][a-z0-9_-]{0,62})$/;

export function createStsServer(
  appNow: () => StsApp | undefined,
  options: { workerHeader?: string } = {},
): Server {
  const { workerHeader } = options;
  const server = createServer((req, res) => {
    // STS_DEBUG_WORKER_HEADER: which process answered (load-balancing checks and tests).
    if (workerHeader) res.setHeader('X-STS-Worker', workerHeader);
    const app = appNow();
    if (!app)
      return writeOAuthError(
        res,
        temporarilyUnavailable('starting', { step: 'server', check: 'starting' }),
        'sts',
      );
    route(app, req, res).catch((err) => {
      console.error('unhandled:', err);
      if (!res.headersSent) writeOAuthError(res, toOAuthError(err), 'sts');
      else res.destroy();
    });
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 15_000;
  server.keepAliveTimeout = 5_000;
  return server;
}

async function route(app: StsApp, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  if (path === '/healthz') {
    if (allow(req, res, 'GET')) writeJson(res, 200, { status: 'ok' });
    return;
  }
  if (path === '/readyz') {
    if (!allow(req, res, 'GET')) return;
    const ready = (await app.ready()) && app.registry.size > 0;
    return writeJson(res, ready ? 200 : 503, { status: ready ? 'ready' : 'not ready' });
  }

  const wellKnown = WELL_KNOWN_PATH.exec(path);
  const tenantPath = wellKnown
    ? [path, wellKnown[1], '.well-known/oauth-authorization-server']
    : TENANT_PATH.exec(path);
  const route = tenantPath ? TENANT_ROUTES[tenantPath[2] as string] : undefined;
  const runtime = tenantPath ? app.registry.get(tenantPath[1] as string) : undefined;
  if (!route || !runtime) return writeJson(res, 404, { error: 'not_found' });
  if (!allow(req, res, route.method)) return;
  await route.handler(app, runtime, req, res);
}

/** RFC 9110 §15.5.6: a wrong method gets 405 with Allow. */
function allow(req: IncomingMessage, res: ServerResponse, method: 'GET' | 'POST'): boolean {
  if (req.method === method || (method === 'GET' && req.method === 'HEAD')) return true;
  res.writeHead(405, { Allow: method === 'GET' ? 'GET, HEAD' : 'POST', 'Content-Length': 0 });
  res.end();
  return false;
}
