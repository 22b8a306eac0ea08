/** Types of ./postgres-cluster.mjs, for the TypeScript tests that import it. */
export interface PostgresCluster {
  /** The admin URL: database `postgres`, user `postgres`, trust authentication. */
  url: string;
  port: number;
  /** The server's (postmaster's) process id while it runs. */
  pid(): number;
  version: string;
  /** Starts the server again, on the same port and data. */
  start(): Promise<void>;
  /** Fast shutdown: open sessions are ended. */
  stop(): Promise<void>;
  /** Stops the server and deletes its directory. */
  remove(): Promise<void>;
}
export function startPostgres(options?: {
  /** Keep fsync, synchronous_commit and full_page_writes at PostgreSQL's defaults. */
  durable?: boolean;
}): Promise<PostgresCluster>;
export function postgresBinaries(): string;
