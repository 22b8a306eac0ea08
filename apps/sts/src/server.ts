import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { temporarilyUnavailable, toOAuthError } from '@sts/core';
import type { StsApp } from './app';
import {
  noteRefusal,
  type RequestLog,
  type RouteName,
  requestId,
  writeAccessLine,
} from './http/request-log';
import { writeJson, writeOAuthError } from './http/write';
import { jwksRoute, metadataRoute } from './routes/discovery';
import { introspectRoute } from './routes/introspect';
import { tokenRoute } from './routes/token';
import type { Logger } from './runtime/logger';
import type { TenantRuntime } from './runtime/tenant-registry';

type Handler = (
  app: StsApp,
  runtime: TenantRuntime,
  req: IncomingMessage,
  res: ServerResponse,
  request: RequestLog,
) => unknown;

/** Tenant routes: `/t/<id>/<route>`, and RFC 8414 §3's `/.well-known/oauth-authorization-server/t/<id>`. */
const TENANT_ROUTES: Record<string, { name: RouteName; method: 'GET' | 'POST'; handler: Handler }> =
  {
    token: { name: 'token', method: 'POST', handler: tokenRoute },
    introspect: { name: 'introspect', method: 'POST', handler: introspectRoute },
    'jwks.json': { name: 'jwks', method: 'GET', handler: (a, r, _q, res) => jwksRoute(a, r, res) },
    '.well-known/oauth-authorization-server': {
      name: 'metadata',
      method: 'GET',
      handler: (_a, r, _q, res) => metadataRoute(r, res),
    },
  };

const TENANT_PATH = /^\/t\/([a-z0-9][a-z0-9_-]{0,62})\/(.+)$/;
const WELL_KNOWN_PATH =
  /^\/\.well-known\/oauth-authorization-server\/t\/([a-z0-9][a-z0-9_-]{0,62})$/;

/**
 * The STS's HTTP server. Every request gets a request id (the caller's X-Request-Id when safe),
 * echoed as X-Request-Id and written on every log line about it, and one access line when it is
 * answered; its latency is observed by route and status (metrics).
 */
export function createStsServer(
  appNow: () => StsApp | undefined,
  options: { log: Logger; workerHeader?: string },
): Server {
  const { log, workerHeader } = options;
  const server = createServer((req, res) => {
    const started = performance.now();
    const request: RequestLog = { id: requestId(req.headers['x-request-id']), route: 'not_found' };
    res.setHeader('X-Request-Id', request.id);
    // STS_DEBUG_WORKER_HEADER: which process answered (load-balancing checks and tests).
    if (workerHeader) res.setHeader('X-STS-Worker', workerHeader);
    const app = appNow();
    if (!app) {
      const starting = temporarilyUnavailable('starting', { step: 'server', check: 'starting' });
      noteRefusal(request, starting);
      writeOAuthError(res, starting, 'sts');
      return writeAccessLine(log, req, res, request, performance.now() - started);
    }
    route(app, req, res, request)
      .catch((err) => {
        log.error({ request_id: request.id, err }, 'unhandled error');
        const error = toOAuthError(err);
        noteRefusal(request, error);
        if (!res.headersSent) writeOAuthError(res, error, 'sts');
        else res.destroy();
      })
      .finally(() => {
        const durationMs = performance.now() - started;
        app.metrics.requestDuration.observe(
          { route: request.route, status: res.statusCode },
          durationMs / 1000,
        );
        writeAccessLine(log, req, res, request, durationMs);
      });
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 15_000;
  server.keepAliveTimeout = 5_000;
  return server;
}

async function route(
  app: StsApp,
  req: IncomingMessage,
  res: ServerResponse,
  request: RequestLog,
): Promise<void> {
  const path = (req.url ?? '/').split('?', 1)[0] as string;
  if (path === '/healthz') {
    request.route = 'healthz';
    if (allow(req, res, 'GET')) writeJson(res, 200, { status: 'ok' });
    return;
  }
  if (path === '/readyz') {
    request.route = 'readyz';
    if (!allow(req, res, 'GET')) return;
    const failing = await app.ready();
    if (failing.length === 0) return writeJson(res, 200, { status: 'ready' });
    return writeJson(res, 503, { status: 'not ready', failing });
  }

  const wellKnown = WELL_KNOWN_PATH.exec(path);
  const tenantPath = wellKnown
    ? [path, wellKnown[1], '.well-known/oauth-authorization-server']
    : TENANT_PATH.exec(path);
  const route = tenantPath ? TENANT_ROUTES[tenantPath[2] as string] : undefined;
  const runtime = tenantPath ? app.registry.get(tenantPath[1] as string) : undefined;
  if (!route || !runtime) return writeJson(res, 404, { error: 'not_found' });
  request.route = route.name;
  request.tenant = runtime.tenant.id;
  if (!allow(req, res, route.method)) return;
  await route.handler(app, runtime, req, res, request);
}

/** RFC 9110 §15.5.6: a wrong method gets 405 with Allow. */
function allow(req: IncomingMessage, res: ServerResponse, method: 'GET' | 'POST'): boolean {
  if (req.method === method || (method === 'GET' && req.method === 'HEAD')) return true;
  res.writeHead(405, { Allow: method === 'GET' ? 'GET, HEAD' : 'POST', 'Content-Length': 0 });
  res.end();
  return false;
}
