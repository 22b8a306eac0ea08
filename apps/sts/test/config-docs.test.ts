import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configJsonSchema, configMarkdown } from '../src/config-docs';

const root = new URL('../../../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), 'utf8');

describe('generated configuration docs', () => {
  it('docs/config.schema.json matches the validator (run `pnpm --filter @sts/sts gen:config-docs`)', () => {
    expect(read('docs/config.schema.json')).toBe(
      `${JSON.stringify(configJsonSchema(), null, 2)}\n`,
    );
  });

  it('docs/configuration.md matches the validator and the demo file', () => {
    expect(read('docs/configuration.md')).toBe(configMarkdown(read('config/demo.yaml')));
  });

  it('documents every rule field', () => {
    const doc = read('docs/configuration.md');
    for (const field of [
      'clients',
      'subjectIssuers',
      'mode',
      'actors',
      'audiences',
      'scopes',
      'maxTtlSeconds',
      'maxChainDepth',
    ])
      expect(doc).toContain(`| \`${field}\` |`);
  });
});
