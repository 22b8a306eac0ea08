/**
 * The crypto limit: the least a token exchange can do, on node:http and node:crypto alone. It
 * authenticates the client (Basic, constant time), verifies the subject (and actor) token's
 * signature on a cached public key, checks iss, aud and exp, and signs a new token on a cached
 * private key. No policy, no storage, no audit: what any exchange service pays at the least.
 * With `"library": "jose"` in its settings (the `limit-jose` target) the tokens are verified and
 * signed through jose (WebCrypto, async) instead: the same floor for a service built on jose.
 *
 *   node limit.mjs <settings.json>   (written by bench/src/targets/reference.ts)
 */
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  randomUUID,
  sign,
  timingSafeEqual,
  verify,
} from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { importJWK, jwtVerify, SignJWT } from 'jose';

const settings = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const { alg } = settings;
const idpKey = createPublicKey({ key: settings.idpPublicJwk, format: 'jwk' });
const ownKey = createPrivateKey({ key: settings.signingPrivateJwk, format: 'jwk' });
const hash = alg === 'EdDSA' ? null : 'sha256';
const expectedAuth = digest(
  `Basic ${Buffer.from(`${settings.clientId}:${settings.secret}`).toString('base64')}`,
);
const header = b64json({ alg, typ: 'at+jwt', kid: settings.signingPrivateJwk.kid });

function digest(text) {
  return createHash('sha256').update(text).digest();
}

function b64json(value) {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** The token's claims when its signature, iss, aud and exp hold; undefined otherwise. */
function verified(token) {
  const parts = typeof token === 'string' ? token.split('.') : [];
  if (parts.length !== 3) return undefined;
  const [h, p, s] = parts;
  const head = JSON.parse(Buffer.from(h, 'base64url').toString());
  if (head.alg !== alg) return undefined;
  const ok = verify(
    hash,
    Buffer.from(`${h}.${p}`),
    { key: idpKey, dsaEncoding: 'ieee-p1363' },
    Buffer.from(s, 'base64url'),
  );
  if (!ok) return undefined;
  const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
  const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  const now = Date.now() / 1000;
  if (claims.iss !== settings.idpIssuer || !aud.includes(settings.subjectAudience))
    return undefined;
  if (typeof claims.exp !== 'number' || claims.exp <= now) return undefined;
  return claims;
}

function issue(subject, actor, scope) {
  const now = Math.floor(Date.now() / 1000);
  const act = { sub: actor ?? settings.clientId, ...(subject.act ? { act: subject.act } : {}) };
  const payload = b64json({
    iss: settings.issuer,
    sub: subject.sub,
    aud: settings.targetAudience,
    client_id: settings.clientId,
    scope,
    act,
    iat: now,
    exp: now + 300,
    jti: randomUUID(),
  });
  const input = `${header}.${payload}`;
  const signature = sign(hash, Buffer.from(input), { key: ownKey, dsaEncoding: 'ieee-p1363' });
  return `${input}.${signature.toString('base64url')}`;
}

const joseKeys = settings.library === 'jose' && {
  idp: await importJWK(settings.idpPublicJwk, alg),
  own: await importJWK(settings.signingPrivateJwk, alg),
};

async function verifiedByJose(token) {
  try {
    const { payload } = await jwtVerify(token, joseKeys.idp, {
      issuer: settings.idpIssuer,
      audience: settings.subjectAudience,
      algorithms: [alg],
    });
    return payload;
  } catch {
    return undefined;
  }
}

function issueByJose(subject, actor, scope) {
  const act = { sub: actor ?? settings.clientId, ...(subject.act ? { act: subject.act } : {}) };
  return new SignJWT({ client_id: settings.clientId, scope, act })
    .setProtectedHeader({ alg, typ: 'at+jwt', kid: settings.signingPrivateJwk.kid })
    .setIssuer(settings.issuer)
    .setSubject(subject.sub)
    .setAudience(settings.targetAudience)
    .setIssuedAt()
    .setExpirationTime('5m')
    .setJti(randomUUID())
    .sign(joseKeys.own);
}

const tokens = joseKeys
  ? { verified: verifiedByJose, issue: issueByJose }
  : { verified: async (token) => verified(token), issue: async (...args) => issue(...args) };

function reply(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

async function exchange(req, res, body) {
  if (!timingSafeEqual(digest(req.headers.authorization ?? ''), expectedAuth))
    return reply(res, 401, { error: 'invalid_client' });
  const form = new URLSearchParams(body);
  if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:token-exchange')
    return reply(res, 400, { error: 'unsupported_grant_type' });
  if (form.get('audience') !== settings.targetAudience)
    return reply(res, 400, { error: 'invalid_target' });
  const subject = await tokens.verified(form.get('subject_token'));
  if (!subject) return reply(res, 400, { error: 'invalid_request' });
  const actorToken = form.get('actor_token');
  const actor = actorToken === null ? undefined : await tokens.verified(actorToken);
  if (actorToken !== null && !actor) return reply(res, 400, { error: 'invalid_request' });
  const scope = form.get('scope') ?? 'read';
  return reply(res, 200, {
    access_token: await tokens.issue(subject, actor?.sub, scope),
    issued_token_type: 'urn:ietf:params:oauth:token-type:access_token',
    token_type: 'Bearer',
    expires_in: 300,
    scope,
  });
}

const server = createServer((req, res) => {
  if (req.method !== 'POST' || req.url !== '/token') return reply(res, 404, { error: 'not_found' });
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    exchange(req, res, Buffer.concat(chunks).toString()).catch(() =>
      reply(res, 400, { error: 'invalid_request' }),
    );
  });
});
server.listen(0, '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${server.address().port}`);
});

process.on('SIGTERM', () => process.exit(0));
