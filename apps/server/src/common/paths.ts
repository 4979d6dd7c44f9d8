import fs from 'node:fs';
import path from 'node:path';

/** The project root, found from source (apps/…) and from the build (dist/apps/…) alike. */
function findRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'templates'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`找不到项目根目录（从 ${start} 向上查找 package.json 与 templates/）`);
  }
}

export const PROJECT_ROOT = findRoot(__dirname);
export const DATA_DIR = path.join(PROJECT_ROOT, '.data');
