import { readFileSync, writeFileSync } from 'node:fs';
import { configJsonSchema, configMarkdown } from '../src/config-docs';

const root = new URL('../../../', import.meta.url);
const example = readFileSync(new URL('config/demo.yaml', root), 'utf8');
writeFileSync(
  new URL('docs/config.schema.json', root),
  `${JSON.stringify(configJsonSchema(), null, 2)}\n`,
);
writeFileSync(new URL('docs/configuration.md', root), configMarkdown(example));
console.log('wrote docs/config.schema.json and docs/configuration.md');
