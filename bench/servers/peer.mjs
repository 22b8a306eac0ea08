/**
 * The peer: oidc-provider (the Node ecosystem's certified OpenID Provider) with a token exchange
 * grant (RFC 8693) registered as a custom grant type. It authenticates the client
 * (client_secret_basic), verifies the subject (and actor) token against the IdP's keys (jose,
 * local JWKS), and issues a JWT access token for the requested audience through its own
 * AccessToken model and keystore, with the actor in `act`.
 *
 *   node peer.mjs <settings.json>   (written by bench/src/targets/reference.ts)
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createLocalJWKSet, jwtVerify } from 'jose';
import Provider, { errors } from 'oidc-provider';

const settings = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const ACCESS_TOKEN = 'urn:ietf:params:oauth:token-type:access_token';
const idpKeys = createLocalJWKSet({ keys: [settings.idpPublicJwk] });

const provider = new Provider(settings.issuer, {
  clients: [
    {
      client_id: settings.clientId,
      client_secret: settings.secret,
      token_endpoint_auth_method: 'client_secret_basic',
      grant_types: [TOKEN_EXCHANGE],
      response_types: [],
      redirect_uris: [],
    },
  ],
  // Its only key signs with the mode's algorithm: the client's default ID token alg follows it.
  clientDefaults: { id_token_signed_response_alg: settings.alg },
  jwks: { keys: [settings.signingPrivateJwk] },
  cookies: { keys: [randomBytes(32).toString('base64url')] },
  features: { devInteractions: { enabled: false } },
  // The `act` claim the grant decided, carried into the JWT access token.
  extraTokenClaims: (ctx) => (ctx?.exchangeAct ? { act: ctx.exchangeAct } : undefined),
  ttl: { AccessToken: 300 },
});
provider.proxy = false;

async function verified(token) {
  const { payload } = await jwtVerify(token, idpKeys, {
    issuer: settings.idpIssuer,
    audience: settings.subjectAudience,
    algorithms: [settings.alg],
    typ: 'at+jwt',
  });
  return payload;
}

// RFC 8693 §2: the token exchange grant.
async function tokenExchange(ctx) {
  const { client, params } = ctx.oidc;
  if (params.subject_token_type !== ACCESS_TOKEN)
    throw new errors.InvalidRequest('unsupported subject_token_type');
  if (params.audience !== settings.targetAudience) throw new errors.InvalidTarget();
  let subject;
  let actor;
  try {
    subject = await verified(params.subject_token);
    if (params.actor_token) actor = await verified(params.actor_token);
  } catch {
    throw new errors.InvalidRequest('the subject or actor token is invalid');
  }
  const scope = (params.scope ?? 'read')
    .split(' ')
    .filter((s) => String(subject.scope).split(' ').includes(s))
    .join(' ');
  ctx.exchangeAct = {
    sub: actor?.sub ?? client.clientId,
    ...(subject.act ? { act: subject.act } : {}),
  };
  const token = new provider.AccessToken({
    accountId: String(subject.sub),
    client,
    gty: 'token_exchange',
    scope,
  });
  token.resourceServer = new provider.ResourceServer(settings.targetAudience, {
    audience: settings.targetAudience,
    scope: 'read write',
    accessTokenFormat: 'jwt',
    jwt: { sign: { alg: settings.alg } },
  });
  const value = await token.save();
  ctx.body = {
    access_token: value,
    issued_token_type: ACCESS_TOKEN,
    token_type: 'Bearer',
    expires_in: token.expiration,
    scope,
  };
}

provider.registerGrantType(TOKEN_EXCHANGE, tokenExchange, [
  'subject_token',
  'subject_token_type',
  'actor_token',
  'actor_token_type',
  'audience',
  'resource',
  'scope',
  'requested_token_type',
]);

const server = provider.listen(0, '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${server.address().port}`);
});
process.on('SIGTERM', () => process.exit(0));
