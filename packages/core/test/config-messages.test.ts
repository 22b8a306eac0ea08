/**
 * The configuration schemas' messages are for people: the console shows them next to a form's
 * fields, the STS prints them for a rejected configuration file.
 */
import { describe, expect, it } from 'vitest';
import {
  ClientFieldsSchema,
  RuleFieldsSchema,
  TenantFieldsSchema,
  TrustedIssuerFieldsSchema,
} from '../src/config/schema';

const messages = (result: {
  success: boolean;
  error?: { issues: { path: PropertyKey[]; message: string }[] };
}) =>
  // The first message of each field: the one a form shows.
  Object.fromEntries(
    [...(result.error?.issues ?? [])].reverse().map((i) => [i.path.join('.'), i.message]),
  );

describe('configuration messages', () => {
  it('says "Required" for an empty field, before any format rule', () => {
    const tenant = TenantFieldsSchema.safeParse({ id: '', displayName: '' });
    expect(messages(tenant)).toMatchObject({ id: 'Required', displayName: 'Required' });
    const client = ClientFieldsSchema.shape.clientId.safeParse('');
    expect(client.error?.issues[0]?.message).toBe('Required');
  });

  it('explains the format of an id in words', () => {
    expect(TenantFieldsSchema.shape.id.safeParse('Bad Id').error?.issues[0]?.message).toBe(
      'Use lower-case letters, digits, "-" and "_" (at most 63)',
    );
  });

  it('refuses an empty or malformed issuer URL with a message, without throwing', () => {
    for (const issuer of ['', 'not a url', 'https://'])
      expect(() => TrustedIssuerFieldsSchema.shape.issuer.safeParse(issuer)).not.toThrow();
    expect(TrustedIssuerFieldsSchema.shape.issuer.safeParse('').error?.issues[0]?.message).toBe(
      'Enter a URL, like https://example.com',
    );
    expect(
      TrustedIssuerFieldsSchema.shape.issuer.safeParse('https://idp.example/#x').error?.issues[0]
        ?.message,
    ).toBe('Remove the #fragment');
  });

  it('names numbers, lists and choices in words', () => {
    const rule = RuleFieldsSchema.safeParse({
      id: 'r',
      clients: [],
      subjectIssuers: ['self'],
      mode: 'sideways',
      maxTtlSeconds: Number.NaN,
      maxChainDepth: 9,
    });
    expect(messages(rule)).toMatchObject({
      clients: 'Name at least one client (or "*")',
      mode: 'Choose one of: delegation, impersonation',
      maxTtlSeconds: 'Enter a number',
      maxChainDepth: 'At most 5',
    });
  });
});
