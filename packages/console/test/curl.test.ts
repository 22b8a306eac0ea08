import { describe, expect, it } from 'vitest';
import { curlCommand, firstExchangeCurl } from '../src/curl';

const ENDPOINT = 'https://sts.example.test/t/acme/token';
const SECRET = 'Zm9v-YmFy_c2VjcmV0';

describe('curl commands', () => {
  it('puts a new client_secret_basic secret in --user, form-encoded (RFC 6749 §2.3.1)', () => {
    expect(
      firstExchangeCurl(ENDPOINT, {
        clientId: 'orders gateway:1',
        authMethod: 'client_secret_basic',
        secret: SECRET,
      }),
    ).toBe(
      [
        `curl -sS -X POST '${ENDPOINT}'`,
        `--user 'orders+gateway%3A1:${SECRET}'`,
        "--data-urlencode 'grant_type=urn:ietf:params:oauth:grant-type:token-exchange'",
        "--data-urlencode 'subject_token=<subject token>'",
        "--data-urlencode 'subject_token_type=urn:ietf:params:oauth:token-type:access_token'",
        "--data-urlencode 'audience=<audience>'",
      ].join(' \\\n  '),
    );
  });

  it('puts a new client_secret_post secret in the form, and no --user', () => {
    const command = firstExchangeCurl(ENDPOINT, {
      clientId: "o'brien",
      authMethod: 'client_secret_post',
      secret: SECRET,
    });
    expect(command).not.toContain('--user');
    expect(command).toContain(`--data-urlencode 'client_id=o'\\''brien'`);
    expect(command).toContain(`--data-urlencode 'client_secret=${SECRET}'`);
    expect(command).toContain("--data-urlencode 'subject_token=<subject token>'");
  });

  it('leaves the credentials as placeholders without a secret', () => {
    const params = new Map([['grant_type', ['urn:ietf:params:oauth:grant-type:token-exchange']]]);
    expect(curlCommand(ENDPOINT, 'gateway', 'client_secret_basic', params)).toContain(
      "--user 'gateway:<client secret>'",
    );
    expect(curlCommand(ENDPOINT, 'gateway', 'client_secret_post', params)).toContain(
      "--data-urlencode 'client_secret=<client secret>'",
    );
    expect(curlCommand(ENDPOINT, 'signer', 'private_key_jwt', params)).toContain(
      "--data-urlencode 'client_assertion=<a JWT signed with the key of signer (RFC 7523)>'",
    );
  });
});
