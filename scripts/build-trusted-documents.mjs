// Writes dist/trusted-documents.json: the manifest of every operation the typed client (and so the
// console, which sends the client's documents) can send, generated from the sources at build time
// so an operation added to client/operations/ is trusted by the next build. Runs after `tsc`: it
// uses the compiled manifest module, and esbuild to load the generated client in Node.
import { writeFileSync, renameSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import process from 'node:process';
import { build } from 'esbuild';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { clientDocuments, manifestOf } = require(join(repo, 'dist', 'trusted-documents', 'manifest.js'));

const bundled = await build({
  entryPoints: [join(repo, 'client', 'generated', 'graphql.ts')],
  format: 'cjs',
  platform: 'node',
  write: false,
  logLevel: 'warning',
});
const generated = { exports: {} };
new Function('module', 'exports', bundled.outputFiles[0].text)(generated, generated.exports);

const manifest = manifestOf(clientDocuments(generated.exports));
const target = join(repo, 'dist', 'trusted-documents.json');
writeFileSync(`${target}.${process.pid}`, `${JSON.stringify(manifest, null, 2)}\n`);
renameSync(`${target}.${process.pid}`, target);
process.stdout.write(`${target}: ${manifest.operations.length} trusted documents\n`);
