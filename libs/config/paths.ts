import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

let root: string | undefined;

/** The repository root, found from source (ts-jest/swc) and build output (dist/) alike. */
export function projectRoot(): string {
  if (root) return root;
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`project root not found above ${__dirname}`);
    dir = parent;
  }
  return (root = dir);
}

export const projectPath = (...segments: string[]): string => join(projectRoot(), ...segments);
