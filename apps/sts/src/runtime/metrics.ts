import { createServer, type Server } from 'node:http';
import { AggregatorRegistry, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { SigningKeyInfo } from './key-ring';
import type { Logger } from './logger';

/** A tenant's loaded signing keys, read at scrape time (sts_signing_key_age_seconds). */
export interface LoadedSigningKeys {
  tenantId: string;
  keys: readonly SigningKeyInfo[];
}

/** Request latency buckets, in seconds: an exchange takes a few milliseconds. */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * The STS's Prometheus metrics (prom-client), in a registry of their own (one per STS, so tests
 * can start several). Served in the text exposition format by a separate listener
 * (STS_METRICS_PORT), never on the public port: metrics describe traffic and are for operators.
 * With workers, the supervisor serves the sum over them (serveClusterMetrics). Every label value
 * comes from the configuration or a fixed list, never from what a caller sends unauthenticated,
 * so the number of series stays bounded.
 */
export class StsMetrics {
  readonly registry = new Registry();
  /** What sts_signing_key_age_seconds reports; set once the tenants are loaded. */
  private signingKeys: (() => LoadedSigningKeys[]) | undefined;
  private clock: () => number = Date.now;

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

  /** Signature checks of input tokens, answered by the verified-token cache or not. */
  readonly verifiedTokenCache = new Counter({
    name: 'sts_verified_token_cache_total',
    help: 'Signature checks of subject and actor tokens: hit (verified before, same key) or miss.',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  /** Audit records per commit (group commit: the records written while the last one ran). */
  readonly auditBatchSize = new Histogram({
    name: 'sts_audit_batch_size',
    help: 'Audit records committed together in one transaction.',
    buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256],
    registers: [this.registry],
  });

  /** How long an audit commit took (a token waits for its record's commit). */
  readonly auditCommitSeconds = new Histogram({
    name: 'sts_audit_commit_duration_seconds',
    help: 'Time to commit one batch of audit records, in seconds.',
    buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [this.registry],
  });

  /** Records one audit commit (OpenOptions.onAuditCommit). */
  readonly onAuditCommit = (size: number, ms: number): void => {
    this.auditBatchSize.observe(size);
    this.auditCommitSeconds.observe(ms / 1000);
  };

  /**
   * Token exchange attempts answered (every audited one; 429s are in sts_rate_limited_total),
   * by outcome: `granted` or the OAuth error code. `client` is empty until the client is
   * authenticated, `rule` until a rule matched.
   */
  readonly exchanges = new Counter({
    name: 'sts_token_exchanges_total',
    help: 'Token exchange attempts by tenant, authenticated client, matched rule and outcome.',
    labelNames: ['tenant', 'client', 'rule', 'outcome'] as const,
    registers: [this.registry],
  });

  /** Time from a request's arrival to its answer, by route (not path) and status. */
  readonly requestDuration = new Histogram({
    name: 'sts_http_request_duration_seconds',
    help: 'Time to answer a request on the STS port, by route and HTTP status.',
    labelNames: ['route', 'status'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  /** JWKS documents fetched (trusted issuers', clients'), by host of the URI. */
  readonly jwksFetches = new Counter({
    name: 'sts_jwks_fetches_total',
    help: 'JWKS fetches by host of the JWKS URI, failed ones included.',
    labelNames: ['host'] as const,
    registers: [this.registry],
  });

  /** JWKS fetches that failed (unreachable, timed out, an HTTP error, not a JWK Set…). */
  readonly jwksFetchFailures = new Counter({
    name: 'sts_jwks_fetch_failures_total',
    help: 'JWKS fetches that failed, by host of the JWKS URI (the reason is in the log).',
    labelNames: ['host'] as const,
    registers: [this.registry],
  });

  constructor() {
    const metrics = this;
    new Gauge({
      name: 'sts_signing_key_age_seconds',
      help: 'Age of each loaded signing key (pending, active, retiring), by tenant, status and kid.',
      labelNames: ['tenant', 'status', 'kid'] as const,
      // Every worker has loaded the same keys: the oldest figure, not the sum.
      aggregator: 'max',
      registers: [this.registry],
      collect() {
        this.reset();
        const now = metrics.clock();
        for (const { tenantId, keys } of metrics.signingKeys?.() ?? [])
          for (const key of keys)
            this.set(
              { tenant: tenantId, status: key.status, kid: key.kid },
              Math.max(0, (now - key.createdAt.getTime()) / 1000),
            );
      },
    });
  }

  /** Reports the loaded signing keys' ages at each scrape from now on. */
  observeSigningKeys(source: () => LoadedSigningKeys[], clock: () => number): void {
    this.signingKeys = source;
    this.clock = clock;
  }

  /** Counts one JWKS fetch of `uri` (RemoteJwks's onFetch). */
  countJwksFetch(uri: string, ok: boolean): void {
    const host = jwksHost(uri);
    this.jwksFetches.inc({ host });
    if (!ok) this.jwksFetchFailures.inc({ host });
  }
}

const jwksHost = (uri: string): string => {
  try {
    return new URL(uri).host;
  } catch {
    return 'invalid';
  }
};

/** Anything that answers a scrape: a registry, or the supervisor's aggregation. */
export interface MetricsSource {
  readonly contentType: string;
  metrics(): Promise<string>;
}

/** GET /metrics on its own listener; anything else is 404. */
export async function serveMetrics(
  source: MetricsSource,
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
    source.metrics().then(
      (text) => {
        res.writeHead(200, { 'Content-Type': source.contentType });
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

/**
 * A worker's side of the aggregation: it answers the supervisor's requests for its metrics
 * (prom-client's cluster messages) with this registry. Constructing an AggregatorRegistry is
 * what installs prom-client's listener in a worker.
 */
export function reportToSupervisor(metrics: StsMetrics): void {
  new AggregatorRegistry();
  AggregatorRegistry.setRegistries([metrics.registry]);
}

/**
 * The supervisor's side: each scrape asks every worker for its metrics and answers with their
 * sum (counters and histograms added up; key ages by their maximum). A worker that does not
 * answer within 5 s fails the scrape (500) rather than giving a partial sum.
 */
export function clusterMetricsSource(): MetricsSource {
  const aggregator = new AggregatorRegistry();
  return { contentType: aggregator.contentType, metrics: () => aggregator.clusterMetrics() };
}
