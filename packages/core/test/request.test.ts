/**
 * RFC 8693 §2.1 request parameters, one case per edge (docs/oauth-errors.md: malformed request →
 * invalid_request; bad targets → invalid_target; malformed scope → invalid_scope).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { parseForm } from '../src/request/parse';
import { TOKEN_TYPE } from '../src/token-types';
import { A1, type AppendixA, appendixA, RULE_A1 } from './fixtures/rfc8693-appendix-a';
import { expectGranted, expectRefused, TARGET_NOT_ALLOWED } from './helpers/expect-oauth';
import { form } from './helpers/memory-ports';

/** The failing check of a refused request, in the trace and as the error's reason. */
const request = (check: string) => ({ step: 'request', check }) as const;

/** A malformed request: the description is the reason itself (it names no secret). */
const malformed = (reason: string, check: string) => ({
  error: 'invalid_request' as const,
  status: 400,
  description: reason,
  detail: reason,
  trace: { ...request(check), message: reason },
});

let w: AppendixA;
let token: string;
beforeAll(async () => {
  w = await appendixA({
    rules: [
      {
        ...RULE_A1,
        audiences: [A1.audience, 'urn:example:reports'],
        audiencePrefixes: ['https://backend.example.com/'],
      },
    ],
  });
  token = await w.a1.subjectToken();
});

describe('RFC 8693 §2.1: required parameters', () => {
  it('accepts the A.1 request as the baseline', async () => {
    expectGranted(await w.exchange(w.a1.request(token)));
  });

  it('refuses a request without subject_token', async () => {
    const result = await w.exchange(w.a1.request(token, { subject_token: undefined }));
    expectRefused(result, malformed('Missing subject_token', 'missing_parameter'));
  });

  it('refuses a request without subject_token_type', async () => {
    const result = await w.exchange(w.a1.request(token, { subject_token_type: undefined }));
    expectRefused(result, malformed('Missing subject_token_type', 'missing_parameter'));
  });

  it.each([TOKEN_TYPE.saml2, TOKEN_TYPE.saml1, 'urn:example:custom-token'])(
    'refuses the unsupported subject_token_type %s with invalid_request (§2.2.2)',
    async (type) => {
      const result = await w.exchange(w.a1.request(token, { subject_token_type: type }));
      expectRefused(result, {
        ...malformed('Unsupported subject_token_type', 'token_type'),
        detail: `subject_token_type ${type} is not supported`,
        trace: { ...request('token_type'), message: `subject_token_type ${type} is not supported` },
      });
    },
  );
});

describe('RFC 8693 §2.1: actor_token and actor_token_type go together', () => {
  it('refuses actor_token without actor_token_type', async () => {
    const result = await w.exchange(w.a1.request(token, { actor_token: token }));
    expectRefused(
      result,
      malformed('actor_token_type is required with actor_token', 'actor_token_type'),
    );
  });

  it('refuses actor_token_type without actor_token', async () => {
    const result = await w.exchange(
      w.a1.request(token, { actor_token_type: TOKEN_TYPE.accessToken }),
    );
    expectRefused(
      result,
      malformed('actor_token_type must not be sent without actor_token', 'actor_token_type'),
    );
  });

  it('refuses an unsupported actor_token_type', async () => {
    const result = await w.exchange(
      w.a1.request(token, { actor_token: token, actor_token_type: TOKEN_TYPE.saml2 }),
    );
    expectRefused(result, {
      ...malformed('Unsupported actor_token_type', 'token_type'),
      detail: `actor_token_type ${TOKEN_TYPE.saml2} is not supported`,
      trace: request('token_type'),
    });
  });
});

describe('RFC 6749 §3.1: single-valued parameters', () => {
  it.each(['subject_token', 'subject_token_type', 'actor_token', 'requested_token_type', 'scope'])(
    'refuses a repeated %s',
    async (name) => {
      const result = await w.exchange(
        form({
          subject_token: token,
          subject_token_type: TOKEN_TYPE.accessToken,
          audience: A1.audience,
          [name]: ['one', 'two'],
        }),
      );
      expectRefused(result, malformed(`Parameter ${name} is repeated`, 'repeated_parameter'));
    },
  );

  it('allows audience and resource to repeat (§2.1), each value becoming an audience', async () => {
    const decision = expectGranted(
      await w.exchange(
        w.a1.request(token, {
          audience: [A1.audience, 'urn:example:reports'],
          resource: ['https://backend.example.com/orders', 'https://backend.example.com/stock'],
        }),
      ),
    );
    expect(decision.claims.aud).toEqual([
      A1.audience,
      'urn:example:reports',
      'https://backend.example.com/orders',
      'https://backend.example.com/stock',
    ]);
  });
});

describe('RFC 8707 §2 / RFC 8693 §2.1: resource and audience', () => {
  const badResource = {
    error: 'invalid_target' as const,
    status: 400,
    description: TARGET_NOT_ALLOWED,
    detail: 'resource is not an absolute URI without fragment',
    trace: { ...request('resource'), message: 'resource is not an absolute URI without fragment' },
  };

  it('refuses a resource that is not an absolute URI', async () => {
    const result = await w.exchange(w.a1.request(token, { resource: '/orders' }));
    expectRefused(result, badResource);
  });

  it('refuses a resource with a fragment', async () => {
    const result = await w.exchange(
      w.a1.request(token, { resource: 'https://backend.example.com/orders#frag' }),
    );
    expectRefused(result, badResource);
  });

  it('refuses more than 10 audience + resource values', async () => {
    const result = await w.exchange(
      w.a1.request(token, {
        audience: Array.from({ length: 6 }, (_, i) => `https://backend.example.com/a${i}`),
        resource: Array.from({ length: 5 }, (_, i) => `https://backend.example.com/r${i}`),
      }),
    );
    expectRefused(result, {
      error: 'invalid_target',
      status: 400,
      description: TARGET_NOT_ALLOWED,
      detail: '11 targets, limit 10',
      trace: { ...request('target_count'), message: '11 targets, limit 10' },
    });
  });

  it('accepts exactly 10 targets', async () => {
    const decision = expectGranted(
      await w.exchange(
        w.a1.request(token, {
          audience: Array.from({ length: 10 }, (_, i) => `https://backend.example.com/a${i}`),
        }),
      ),
    );
    expect(decision.claims.aud).toHaveLength(10);
  });
});

describe('RFC 6749 §3.3: scope', () => {
  it.each([
    ['a double quote', 'orders "profile"'],
    ['a backslash', 'orders\\profile'],
    ['only spaces', '   '],
    ['a non-ASCII character', 'orders profilé'],
  ])('refuses a scope with %s as invalid_scope', async (_what, scope) => {
    const result = await w.exchange(w.a1.request(token, { scope }));
    expectRefused(result, {
      error: 'invalid_scope',
      status: 400,
      description: 'The requested scope is malformed',
      detail: 'The requested scope is malformed',
      trace: request('scope'),
    });
  });
});

describe('RFC 6749 §3.1: parameters sent without a value are treated as omitted', () => {
  it('ignores empty scope, actor_token, actor_token_type, requested_token_type and resource', async () => {
    const body = new URLSearchParams({
      subject_token: token,
      subject_token_type: TOKEN_TYPE.accessToken,
      audience: A1.audience,
      scope: '',
      actor_token: '',
      actor_token_type: '',
      requested_token_type: '',
      resource: '',
    }).toString();
    const result = await w.exchange(parseForm(body));
    const decision = expectGranted(result);
    expect(decision.issuedTokenType).toBe(TOKEN_TYPE.accessToken);
    expect(decision.claims.act).toBeUndefined();
    expect(decision.claims.aud).toBe(A1.audience);
    expect(result.facts.requestedScope).toBeUndefined();
  });

  it('treats an empty subject_token as missing', async () => {
    const body = `subject_token=&subject_token_type=${encodeURIComponent(TOKEN_TYPE.accessToken)}`;
    expectRefused(
      await w.exchange(parseForm(body)),
      malformed('Missing subject_token', 'missing_parameter'),
    );
  });
});

describe('RFC 8693 §2.1: requested_token_type', () => {
  it.each([
    TOKEN_TYPE.idToken,
    TOKEN_TYPE.refreshToken,
    TOKEN_TYPE.saml2,
    'urn:example:custom-token',
  ])('refuses the unsupported requested_token_type %s with invalid_request', async (type) => {
    const result = await w.exchange(w.a1.request(token, { requested_token_type: type }));
    expectRefused(result, {
      ...malformed('Unsupported requested_token_type', 'requested_token_type'),
      detail: `requested_token_type ${type}`,
      trace: { ...request('requested_token_type'), message: `requested_token_type ${type}` },
    });
  });
});

describe('limits: each token at most 16 KiB', () => {
  it('refuses a subject_token larger than 16 KiB before decoding it', async () => {
    const result = await w.exchange(w.a1.request(`${token}${'A'.repeat(16 * 1024)}`));
    expectRefused(result, {
      ...malformed('subject_token is too large', 'token_size'),
      detail: `${token.length + 16 * 1024} characters, limit 16384`,
      trace: request('token_size'),
    });
  });

  it('refuses an actor_token larger than 16 KiB', async () => {
    const result = await w.exchange(
      w.a1.request(token, {
        actor_token: 'A'.repeat(16 * 1024 + 1),
        actor_token_type: TOKEN_TYPE.accessToken,
      }),
    );
    expectRefused(result, {
      ...malformed('actor_token is too large', 'token_size'),
      detail: '16385 characters, limit 16384',
      trace: request('token_size'),
    });
  });

  it('lets a token of exactly 16 KiB through to validation', async () => {
    const result = await w.exchange(w.a1.request('A'.repeat(16 * 1024)));
    expectRefused(result, {
      error: 'invalid_request',
      status: 400,
      description: 'The subject_token or actor_token is not acceptable for this exchange',
      detail: 'not a compact JWS (three dot-separated parts)',
      trace: { step: 'subject_token', check: 'format' },
    });
  });
});
