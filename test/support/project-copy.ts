/**
 * A copy of this repository in a temp folder, for tests that change sources as a user would
 * (scaffolding, `npm run dev` watching a file): the working tree is never touched, and removing
 * the folder removes everything the test made. node_modules and .tools are linked, not copied.
 */
import { cpSync, existsSync, mkdtempSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';

const root = join(__dirname, '..', '..');
/** Not copied: installed or built things, local state, history. */
const LEFT_OUT = new Set(['node_modules', '.tools', '.git', '.data', 'dist', 'coverage']);

export interface ProjectCopy {
  root: string;
  remove(): void;
}

export function copyProject(options: { withDist?: boolean } = {}): ProjectCopy {
  const target = mkdtempSync(join(tmpdir(), 'engine-copy-'));
  try {
    cpSync(root, target, {
      recursive: true,
      filter: (source) => {
        const top = relative(root, source).split(sep)[0] ?? '';
        return !LEFT_OUT.has(top) || (options.withDist === true && top === 'dist');
      },
    });
    for (const linked of ['node_modules', '.tools']) if (existsSync(join(root, linked))) symlinkSync(realpathSync(join(root, linked)), join(target, linked));
  } catch (err) {
    rmSync(target, { recursive: true, force: true });
    throw err;
  }
  return { root: target, remove: () => rmSync(target, { recursive: true, force: true }) };
}
