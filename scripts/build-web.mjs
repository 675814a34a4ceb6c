// Builds the browser parts into dist/: the web console (tsc) and the GraphQL explorer (GraphiQL
// bundled by esbuild). Each is built into a fresh folder beside its target and swapped in by
// rename, so a running gateway (`npm start`) never sees a half-built or missing folder while
// `npm test` or `npm run build` rebuilds.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import process from 'node:process';
import { build } from 'esbuild';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(repo, 'dist');
const suffix = `${process.pid}-${Date.now()}`;
// `node scripts/build-web.mjs console` builds one part (the browser tests build what they drive).
const parts = process.argv.length > 2 ? process.argv.slice(2) : ['console', 'explorer'];

/** Builds into `dist/.<name>-new-*`, then swaps it for `dist/<name>` with two renames. */
async function buildInto(name, fill) {
  const fresh = join(dist, `.${name}-new-${suffix}`);
  const old = join(dist, `.${name}-old-${suffix}`);
  const target = join(dist, name);
  mkdirSync(fresh, { recursive: true });
  try {
    await fill(fresh);
  } catch (error) {
    rmSync(fresh, { recursive: true, force: true });
    throw error;
  }
  let hadOld = true;
  try {
    renameSync(target, old);
  } catch (error) {
    if (error.code !== 'ENOENT') throw error;
    hadOld = false;
  }
  renameSync(fresh, target);
  if (hadOld) rmSync(old, { recursive: true, force: true });
}

if (parts.includes('console'))
  await buildInto('console', async (out) => {
    execFileSync(
      process.execPath,
      [join(repo, 'node_modules/typescript/bin/tsc'), '-p', 'console/tsconfig.json', '--outDir', join(out, 'js')],
      {
        cwd: repo,
        stdio: 'inherit',
      },
    );
    for (const file of ['index.html', 'console.css', 'favicon.svg']) copyFileSync(join(repo, 'console', file), join(out, file));
  });

if (parts.includes('explorer'))
  await buildInto('explorer', async (out) => {
    await build({
      entryPoints: [join(repo, 'explorer/explorer.ts')],
      outfile: join(out, 'explorer.js'),
      bundle: true,
      minify: true,
      format: 'iife',
      target: 'es2020',
      loader: { '.woff2': 'dataurl', '.png': 'dataurl', '.svg': 'dataurl' },
      define: { 'process.env.NODE_ENV': '"production"' },
      legalComments: 'linked',
      logLevel: 'warning',
    });
    copyFileSync(join(repo, 'explorer/explorer.html'), join(out, 'explorer.html'));
  });
