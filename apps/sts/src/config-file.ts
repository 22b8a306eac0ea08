import { readFile } from 'node:fs/promises';
import { type ConfigFile, ConfigFileSchema } from '@sts/core';
import { parse as parseYaml } from 'yaml';

/**
 * Reads and validates an STS_CONFIG_FILE (YAML or JSON). Any problem throws a TypeError naming
 * the file, the path inside it and the reason; nothing is applied.
 */
export async function loadConfigFile(path: string): Promise<ConfigFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new TypeError(`Config file ${path}: cannot be read (${(err as Error).message})`);
  }
  let data: unknown;
  try {
    data = /\.json$/i.test(path) ? JSON.parse(text) : parseYaml(text, { maxAliasCount: 100 });
  } catch (err) {
    throw new TypeError(
      `Config file ${path}: not valid ${/\.json$/i.test(path) ? 'JSON' : 'YAML'} (${(err as Error).message})`,
    );
  }
  const parsed = ConfigFileSchema.safeParse(data);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${formatPath(i.path)}: ${i.message}`);
    throw new TypeError(`Config file ${path} is invalid:\n  ${problems.join('\n  ')}`);
  }
  return parsed.data;
}

/** `tenants[0].clients[1].secret` */
export function formatPath(path: readonly PropertyKey[]): string {
  return (
    path
      .map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`))
      .join('') || '(root)'
  );
}

/** The secret of a client: inline, or from the environment variable it names. */
export function clientSecretResolver(env: NodeJS.ProcessEnv) {
  return (client: { clientId: string; secret?: string; secretEnv?: string }): string => {
    if (client.secret !== undefined) return client.secret;
    if (client.secretEnv === undefined) throw new TypeError(`Client ${client.clientId}: no secret`);
    const value = env[client.secretEnv];
    if (!value)
      throw new TypeError(
        `Client ${client.clientId}: environment variable ${client.secretEnv} is not set`,
      );
    if (value.length < 32)
      throw new TypeError(
        `Client ${client.clientId}: ${client.secretEnv} must be at least 32 characters`,
      );
    return value;
  };
}
