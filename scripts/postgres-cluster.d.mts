/** Types of ./postgres-cluster.mjs, for the TypeScript tests that import it. */
export interface PostgresCluster {
  /** The admin URL: database `postgres`, user `postgres`, trust authentication. */
  url: string;
  port: number;
  version: string;
  /** Starts the server again, on the same port and data. */
  start(): Promise<void>;
  /** Fast shutdown: open sessions are ended. */
  stop(): Promise<void>;
  /** Stops the server and deletes its directory. */
  remove(): Promise<void>;
}
export function startPostgres(): Promise<PostgresCluster>;
export function postgresBinaries(): string;
