/**
 * The emulator's place in the project, checked from the import statements of the files: it never imports plugin code
 * (src/), src/ never imports it, and its modules import each other without cycles (type imports included).
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';

const emulatorDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const repoRoot = resolve(emulatorDir, '..', '..');
const srcDir = join(repoRoot, 'src');

function tsFiles(dir: string, skip?: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (path === skip) return [];
    if (statSync(path).isDirectory()) return tsFiles(path, skip);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** Files a module imports or re-exports from (relative specifiers only), as .ts paths. */
function importsOf(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  const specifiers = [...source.matchAll(/(?:^|;)\s*(?:import|export)\s[^;]*?\sfrom\s+'(\.[^']*)'/gm)].map((m) => m[1]);
  return specifiers.map((s) => resolve(dirname(file), s.replace(/\.js$/, '.ts')));
}

const inside = (dir: string, file: string): boolean => !relative(dir, file).startsWith('..');

describe('emulator: layout', () => {
  const emulatorFiles = tsFiles(emulatorDir, join(emulatorDir, 'test'));

  it('imports no plugin code', () => {
    const offending = emulatorFiles.flatMap((f) =>
      importsOf(f)
        .filter((d) => inside(srcDir, d))
        .map((d) => `${relative(repoRoot, f)} → ${relative(repoRoot, d)}`),
    );
    expect(offending).to.deep.equal([]);
  });

  it('is not imported by the plugin', () => {
    const offending = tsFiles(srcDir).flatMap((f) =>
      importsOf(f)
        .filter((d) => inside(emulatorDir, d))
        .map((d) => `${relative(repoRoot, f)} → ${relative(repoRoot, d)}`),
    );
    expect(offending).to.deep.equal([]);
  });

  it('has no import cycles', () => {
    const graph = new Map(emulatorFiles.map((f) => [f, importsOf(f).filter((d) => inside(emulatorDir, d))]));
    const cycles: string[] = [];
    const done = new Set<string>();
    const path: string[] = [];
    const visit = (file: string): void => {
      path.push(file);
      for (const dep of graph.get(file) ?? []) {
        if (path.includes(dep))
          cycles.push([...path.slice(path.indexOf(dep)), dep].map((p) => relative(emulatorDir, p)).join(' → '));
        else if (!done.has(dep)) visit(dep);
      }
      path.pop();
      done.add(file);
    };
    emulatorFiles.forEach((f) => done.has(f) || visit(f));
    expect(cycles).to.deep.equal([]);
  });
});
