/**
 * End to end with libraries nobody here wrote: oauth4webapi discovers the tenant (RFC 8414),
 * authenticates (client_secret_basic, client_secret_post, private_key_jwt) and performs the
 * token exchange (RFC 8693); the issued token is then accepted by two RFC 9068 validators acting
 * as the downstream API: oauth4webapi's validateJwtAccessToken and jose's jwtVerify against the
 * published JWKS.
 */
import { createRemoteJWKSet, exportJWK, generateKeyPair, jwtVerify } from 'jose';
import * as oauth from 'oauth4webapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestIdp } from './helpers/idp';
import { ACCESS_TOKEN, startTestSts, type TestSts, TOKEN_EXCHANGE } from './helpers/sts';

const ORDERS = 'https://orders.example.test';
const BASIC_SECRET = 'gateway-secret-0123456789abcdef0123456789';
const POST_SECRET = 'poster-secret-0123456789abcdef0123456789a';
/** Plain http is only ever used on loopback here. */
const INSECURE = { [oauth.allowInsecureRequests]: true } as const;

let idp: TestIdp;
let sts: TestSts;
let clientKey: Awaited<ReturnType<typeof generateKeyPair>>;
let as: oauth.AuthorizationServer;

beforeAll(async () => {
  idp = await TestIdp.create();
  clientKey = await generateKeyPair('ES256', { extractable: true });
  sts = await startTestSts({
    tenants: [
      {
        id: 'acme',
        displayName: 'Acme',
        clients: [
          { clientId: 'gateway', authMethod: 'client_secret_basic', secret: BASIC_SECRET },
          { clientId: 'poster', authMethod: 'client_secret_post', secret: POST_SECRET },
          {
            clientId: 'signer',
            authMethod: 'private_key_jwt',
            jwks: {
              keys: [{ ...(await exportJWK(clientKey.publicKey)), kid: 'signer-1', alg: 'ES256' }],
            },
          },
        ],
        trustedIssuers: [idp.trusted()],
        rules: [
          {
            id: 'to-orders',
            clients: ['*'],
            subjectIssuers: [idp.issuer],
            mode: 'delegation',
            actors: ['client'],
            audiences: [ORDERS],
            scopes: ['orders:read'],
          },
        ],
      },
    ],
  });
  const issuer = new URL(sts.issuer('acme'));
  as = await oauth.processDiscoveryResponse(
    issuer,
    await oauth.discoveryRequest(issuer, { algorithm: 'oauth2', ...INSECURE }),
  );
});

afterAll(async () => {
  await sts?.stop();
});

async function exchangeWith(
  clientId: string,
  auth: oauth.ClientAuth,
  audience = ORDERS,
): Promise<oauth.TokenEndpointResponse> {
  const client: oauth.Client = { client_id: clientId };
  const response = await oauth.genericTokenEndpointRequest(
    as,
    client,
    auth,
    TOKEN_EXCHANGE,
    {
      subject_token: await idp.mint({ scope: 'orders:read orders:write' }),
      subject_token_type: ACCESS_TOKEN,
      audience,
      scope: 'orders:read',
    },
    INSECURE,
  );
  return oauth.processGenericTokenEndpointResponse(as, client, response);
}

/** The downstream API's two independent RFC 9068 checks. */
async function acceptedDownstream(accessToken: string, clientId: string): Promise<void> {
  const request = new Request(`${ORDERS}/orders`, {
    headers: { authorization: `Bearer ${accessToken}` },
  });
  const claims = await oauth.validateJwtAccessToken(as, request, ORDERS, INSECURE);
  expect(claims).toMatchObject({
    iss: sts.issuer('acme'),
    aud: ORDERS,
    sub: 'alice',
    client_id: clientId,
    scope: 'orders:read',
    act: { sub: clientId },
  });

  if (!as.jwks_uri) throw new Error('no jwks_uri in the metadata');
  const { payload, protectedHeader } = await jwtVerify(
    accessToken,
    createRemoteJWKSet(new URL(as.jwks_uri)),
    { issuer: as.issuer, audience: ORDERS, typ: 'at+jwt' },
  );
  expect(payload).toEqual(claims);
  expect(protectedHeader.typ).toBe('at+jwt');
}

describe('oauth4webapi as the client, RFC 9068 validators as the API', () => {
  it('discovers the tenant through RFC 8414 metadata', () => {
    expect(as).toMatchObject({
      issuer: sts.issuer('acme'),
      token_endpoint: `${sts.issuer('acme')}/token`,
      jwks_uri: `${sts.issuer('acme')}/jwks.json`,
      grant_types_supported: [TOKEN_EXCHANGE],
    });
  });

  it.each([
    ['client_secret_basic', 'gateway', () => oauth.ClientSecretBasic(BASIC_SECRET)],
    ['client_secret_post', 'poster', () => oauth.ClientSecretPost(POST_SECRET)],
    [
      'private_key_jwt',
      'signer',
      () => oauth.PrivateKeyJwt({ key: clientKey.privateKey, kid: 'signer-1' }),
    ],
  ])('exchanges with %s; the token is accepted downstream', async (_method, clientId, auth) => {
    const tokens = await exchangeWith(clientId, auth());
    expect(tokens).toMatchObject({
      token_type: 'bearer',
      issued_token_type: ACCESS_TOKEN,
      expires_in: expect.any(Number),
    });
    await acceptedDownstream(tokens.access_token, clientId);
  });

  it('the token is refused by an API that expects another audience', async () => {
    const tokens = await exchangeWith('gateway', oauth.ClientSecretBasic(BASIC_SECRET));
    const request = new Request('https://billing.example.test/', {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    await expect(
      oauth.validateJwtAccessToken(as, request, 'https://billing.example.test', INSECURE),
    ).rejects.toMatchObject({ code: oauth.JWT_CLAIM_COMPARISON });
  });

  it('surfaces invalid_target as a ResponseBodyError', async () => {
    const error = await exchangeWith(
      'gateway',
      oauth.ClientSecretBasic(BASIC_SECRET),
      'https://elsewhere.example.test',
    ).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(oauth.ResponseBodyError);
    expect(error).toMatchObject({
      error: 'invalid_target',
      status: 400,
      error_description: 'The requested audience or resource is not allowed',
    });
  });
});
