import type { ClientAuthMethod, FormParams } from '@sts/core';
import { GRANT_TYPE_TOKEN_EXCHANGE, TOKEN_TYPE } from '@sts/core/token-types';

/**
 * `curl` commands for the token endpoint, as the console shows them. Client-safe (no I/O, type
 * imports and constants only): the page that shows a new secret builds its command in the browser,
 * so the secret never travels back to the server.
 */

/** A word for a POSIX shell, single-quoted. */
const shellQuote = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`;

/** application/x-www-form-urlencoded (RFC 6749 Appendix B). */
const formEncode = (text: string) => encodeURIComponent(text).replaceAll('%20', '+');

const SECRET_PLACEHOLDER = '<client secret>';

/**
 * The `curl` command that sends `params` to the real token endpoint as `clientId`. Without
 * `secret` the client's credentials are placeholders (the console keeps only a secret's hash, and
 * never a client's private key).
 */
export function curlCommand(
  tokenEndpoint: string,
  clientId: string,
  authMethod: ClientAuthMethod,
  params: FormParams,
  secret?: string,
): string {
  const lines = [`curl -sS -X POST ${shellQuote(tokenEndpoint)}`];
  const field = (name: string, value: string) =>
    lines.push(`--data-urlencode ${shellQuote(`${name}=${value}`)}`);
  // RFC 6749 §2.3.1: id and secret are form-encoded before they become the Basic credentials.
  if (authMethod === 'client_secret_basic')
    lines.push(
      `--user ${shellQuote(`${formEncode(clientId)}:${secret === undefined ? SECRET_PLACEHOLDER : formEncode(secret)}`)}`,
    );
  for (const [name, values] of params) for (const value of values) field(name, value);
  if (authMethod === 'client_secret_post') {
    field('client_id', clientId);
    field('client_secret', secret ?? SECRET_PLACEHOLDER);
  }
  if (authMethod === 'private_key_jwt') {
    field('client_assertion_type', 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
    field('client_assertion', `<a JWT signed with the key of ${clientId} (RFC 7523)>`);
  }
  return lines.join(' \\\n  ');
}

/**
 * A first token exchange by a client whose secret was just generated: its credentials where its
 * auth method puts them, the subject token and the audience as placeholders (RFC 8693 §2.1).
 */
export function firstExchangeCurl(
  tokenEndpoint: string,
  client: { clientId: string; authMethod: ClientAuthMethod; secret: string },
): string {
  return curlCommand(
    tokenEndpoint,
    client.clientId,
    client.authMethod,
    new Map([
      ['grant_type', [GRANT_TYPE_TOKEN_EXCHANGE]],
      ['subject_token', ['<subject token>']],
      ['subject_token_type', [TOKEN_TYPE.accessToken]],
      ['audience', ['<audience>']],
    ]),
    client.secret,
  );
}
