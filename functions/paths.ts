import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The package root: the folder holding package.json and sql/. Code runs both from its TypeScript source
 * (tests) and from dist/ (the CLI and the deployed functions), at different depths, so it is found by walking up.
 */
function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'sql', 'schema'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('ai-finops: cannot find the sql/ folder above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
  return dir;
}

export const packageRoot = findRoot();
export const sqlRoot = join(packageRoot, 'sql');
