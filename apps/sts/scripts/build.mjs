#!/usr/bin/env node
/**
 * `pnpm build` for the STS: compiles src/main.ts (the production entry) and src/demo.ts (what
 * `pnpm start` runs) to plain JavaScript in dist/, so that production runs `node dist/main.js`
 * without a TypeScript loader (decision 0018).
 *
 * - The workspace packages (@sts/core, @sts/crypto, @sts/db) are bundled in: they export
 *   TypeScript source.
 * - npm packages stay external and load from node_modules as published (better-sqlite3 is
 *   native, Prisma's runtime loads its own files). Each one must be a dependency of this package,
 *   or Node would not find it from dist/ (pnpm links only declared dependencies): the build fails
 *   naming any that is not.
 * - `import.meta.url` and `import.meta.dirname` keep meaning "where this source file is" (the
 *   database package finds its migrations, the demo its key file), written relative to the
 *   output so the repository can move as a whole.
 */
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, relative, resolve } from 'node:path';
import { build } from 'esbuild';

const appDir = resolve(import.meta.dirname, '..');
const outdir = process.argv[2] ? resolve(process.argv[2]) : resolve(appDir, 'dist');
const manifest = JSON.parse(readFileSync(resolve(appDir, 'package.json'), 'utf8'));
const declared = new Set(Object.keys(manifest.dependencies ?? {}));
const builtins = new Set(builtinModules);

/** `@scope/name/sub` → `@scope/name`; `name/sub` → `name`. */
const packageName = (specifier) =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');

/** @type {import('esbuild').Plugin} */
const externalDependencies = {
  name: 'external-dependencies',
  setup(b) {
    const undeclared = new Set();
    b.onResolve({ filter: /^[^./]/ }, ({ path, importer }) => {
      if (path.startsWith('@sts/')) return undefined; // bundled
      if (path.startsWith('node:') || builtins.has(packageName(path))) return { external: true };
      if (!declared.has(packageName(path))) undeclared.add(`${packageName(path)} (${importer})`);
      return { external: true };
    });
    b.onEnd((result) => {
      if (undeclared.size === 0) return;
      result.errors.push({
        text: `not a dependency of ${manifest.name}, so dist/ cannot load it: ${[...undeclared].join(', ')}`,
      });
    });
  },
};

/** @type {import('esbuild').Plugin} */
const sourceLocations = {
  name: 'source-locations',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, ({ path }) => {
      if (path.includes('/node_modules/')) return undefined;
      let text = readFileSync(path, 'utf8');
      if (text.includes('import.meta.url') || text.includes('import.meta.dirname')) {
        const file = JSON.stringify(relative(outdir, path));
        const dir = JSON.stringify(`${relative(outdir, dirname(path)) || '.'}/`);
        text = `import { fileURLToPath as __fileURLToPath } from 'node:url';\n${text
          .replaceAll('import.meta.url', `new URL(${file}, import.meta.url).href`)
          .replaceAll(
            'import.meta.dirname',
            `__fileURLToPath(new URL(${dir}, import.meta.url)).replace(/\\/$/, '')`,
          )}`;
      }
      return { contents: text, loader: 'ts' };
    });
  },
};

const started = Date.now();
await build({
  absWorkingDir: appDir,
  entryPoints: { main: 'src/main.ts', demo: 'src/demo.ts' },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  plugins: [externalDependencies, sourceLocations],
});
console.log(`${manifest.name}: dist/main.js, dist/demo.js in ${Date.now() - started} ms`);
