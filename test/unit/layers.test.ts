import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/**
 * The layers of `src/`, lowest first: a module imports its own folder or a lower layer, never
 * a higher one. The server and the entry point wire everything together; the emulators stand
 * apart, so a bug in the gateway's clients cannot be copied into the doubles meant to catch it.
 */
const LAYERS: readonly (readonly string[])[] = [
  ['errors', 'config', 'http', 'trusted-documents'],
  ['observability', 'state'],
  ['upstreams'],
  ['auth', 'downloads'],
  ['services'],
  ['schema'],
  ['server', 'main.ts'],
];
const EMULATOR_MAY_IMPORT = ['emulator', 'config', 'http'];
/** Only the entry point starts the embedded emulators. */
const MAY_IMPORT_EMULATOR = ['main.ts'];

const SRC = resolve(process.env.LAYERS_SRC ?? resolve(__dirname, '../../src'));

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** The first path segment under `src/`: a folder, or a top-level file such as `config.ts`. */
function areaOf(file: string): string {
  const [first, second] = relative(SRC, file).split(/[\\/]/);
  return second === undefined ? first.replace(/\.ts$/, '') + (first === 'main.ts' ? '.ts' : '') : first;
}

function rankOf(area: string): number {
  const rank = LAYERS.findIndex((layer) => layer.includes(area));
  if (rank === -1) throw new Error(`src/${area} is in no layer: add it to LAYERS`);
  return rank;
}

/** `from '...'` of imports and re-exports, and side-effect imports; relative ones only. */
function relativeImports(text: string): string[] {
  return [...text.matchAll(/(?:\bfrom|^import)\s+'(\.[^']*)'/gm)].map((match) => match[1]);
}

/** Every import of `src/` that runs against the layers, as `from -> to`. */
export function layerViolations(): string[] {
  const violations: string[] = [];
  for (const file of sourceFiles(SRC)) {
    const from = areaOf(file);
    for (const specifier of relativeImports(readFileSync(file, 'utf8'))) {
      const target = resolve(dirname(file), specifier);
      if (relative(SRC, target).startsWith('..')) continue;
      const to = areaOf(target.endsWith('.ts') ? target : `${target}.ts`);
      if (to === from) continue;
      const allowed =
        from === 'emulator'
          ? EMULATOR_MAY_IMPORT.includes(to)
          : to === 'emulator'
            ? MAY_IMPORT_EMULATOR.includes(from)
            : rankOf(to) <= rankOf(from);
      if (!allowed) violations.push(`${relative(SRC, file)} -> ${relative(SRC, target)}`);
    }
  }
  return violations;
}

describe('layers of src/', () => {
  it('no module imports a higher layer, and the emulators import none of the gateway', () => {
    expect(layerViolations()).toEqual([]);
  });

  it('the check sees an import that runs back up', () => {
    expect(relativeImports("import { x } from '../schema/a';\nexport { y } from './b';\nimport 'reflect-metadata';")).toEqual([
      '../schema/a',
      './b',
    ]);
    expect(rankOf('schema')).toBeGreaterThan(rankOf('services'));
    expect(rankOf('services')).toBeGreaterThan(rankOf('upstreams'));
    expect(rankOf('upstreams')).toBeGreaterThan(rankOf('errors'));
  });
});
