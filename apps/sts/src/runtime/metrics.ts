import { createServer, type Server } from 'node:http';
import { Counter, Registry } from 'prom-client';
import type { Logger } from './logger';

/**
 * The STS's Prometheus metrics (prom-client), in a registry of their own (one per STS, so tests
 * can start several). Served in the text exposition format by a separate listener
 * (STS_METRICS_PORT), never on the public port: metrics describe traffic and are for operators.
 */
export class StsMetrics {
  readonly registry = new Registry();

  /** Requests refused by a rate limit (429), by endpoint and by which limit. */
  readonly rateLimited = new Counter({
    name: 'sts_rate_limited_total',
    help: 'Requests refused with 429 by a rate limit.',
    labelNames: ['endpoint', 'limit'] as const,
    registers: [this.registry],
  });

  /** Audit records deleted by retention. */
  readonly auditDeleted = new Counter({
    name: 'sts_audit_records_deleted_total',
    help: 'Audit records deleted because they were older than STS_AUDIT_RETENTION_DAYS.',
    registers: [this.registry],
  });

  /** Audit records of unauthenticated failures whose request fields were cut to their bounds. */
  readonly auditTruncated = new Counter({
    name: 'sts_audit_records_truncated_total',
    help: 'Audit records of unauthenticated requests stored with request fields cut short.',
    labelNames: ['endpoint'] as const,
    registers: [this.registry],
  });
}

/** GET /metrics on its own listener; anything else is 404. */
export async function serveMetrics(
  metrics: StsMetrics,
  port: number,
  host: string,
  log: Logger,
): Promise<Server> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'Content-Length': 0 }).end();
      return;
    }
    metrics.registry.metrics().then(
      (text) => {
        res.writeHead(200, { 'Content-Type': metrics.registry.contentType });
        res.end(req.method === 'HEAD' ? undefined : text);
      },
      (err) => {
        log.error({ err }, 'metrics scrape failed');
        res.writeHead(500, { 'Content-Length': 0 }).end();
      },
    );
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => ok());
  });
  return server;
}
