import type { ClientAuthMethod, FormParams } from '@sts/core';

/** A word for a POSIX shell, single-quoted. */
const shellQuote = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`;

/**
 * The `curl` command that sends `params` to the real token endpoint as `clientId`. Client
 * credentials are placeholders: the console never has the secret (it stores a hash) nor the
 * client's private key.
 */
export function curlCommand(
  tokenEndpoint: string,
  clientId: string,
  authMethod: ClientAuthMethod,
  params: FormParams,
): string {
  const lines = [`curl -sS -X POST ${shellQuote(tokenEndpoint)}`];
  const field = (name: string, value: string) =>
    lines.push(`--data-urlencode ${shellQuote(`${name}=${value}`)}`);
  if (authMethod === 'client_secret_basic')
    lines.push(`--user ${shellQuote(`${clientId}:<client secret>`)}`);
  for (const [name, values] of params) for (const value of values) field(name, value);
  if (authMethod === 'client_secret_post') {
    field('client_id', clientId);
    field('client_secret', '<client secret>');
  }
  if (authMethod === 'private_key_jwt') {
    field('client_assertion_type', 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
    field('client_assertion', `<a JWT signed with the key of ${clientId} (RFC 7523)>`);
  }
  return lines.join(' \\\n  ');
}
