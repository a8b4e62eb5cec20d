// Builds the console (api/console/web) into dist/console with esbuild: one script, one style
// sheet, and the page that loads them. The API serves that folder at /console.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const web = join(root, 'api', 'console', 'web');
const out = join(root, 'dist', 'console');
mkdirSync(join(out, 'assets'), { recursive: true });

await build({
  entryPoints: { console: join(web, 'src', 'main.tsx'), 'console-styles': join(web, 'src', 'styles.css') },
  outdir: join(out, 'assets'),
  bundle: true,
  format: 'esm',
  target: 'es2022',
  minify: true,
  sourcemap: true,
  jsx: 'automatic',
  define: { 'process.env.NODE_ENV': '"production"' },
  legalComments: 'linked',
  logLevel: 'warning',
});
copyFileSync(join(web, 'index.html'), join(out, 'index.html'));
