/**
 * `npm run openapi:import` as built: lenient by default (faults come back as warnings, the
 * document is stored), `--strict` refuses the same document with the fault's location.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { generateKey } from '../../store/credential-cipher';

const root = resolve(__dirname, '..', '..');

it('imports a document with a fault with warnings, and refuses it with --strict', () => {
  const dir = mkdtempSync(join(tmpdir(), 'engine-import-cli-'));
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: join(dir, 'data'), CREDENTIALS_KEYS: generateKey('t') };
  delete env.DATABASE_URL;
  const document = JSON.parse(readFileSync(join(root, 'test', 'data', 'openapi', 'petstore-3.0.json'), 'utf8'));
  // A fault deep in a response schema: `required: true` on a property (Swagger 2's spelling).
  document.components.schemas.Pet.properties.category.required = true;
  const file = join(dir, 'petstore.json');
  writeFileSync(file, JSON.stringify(document));
  const cli = (...args: string[]) => spawnSync(process.execPath, [join(root, 'dist', 'runtime', 'import-openapi.js'), ...args], { env, encoding: 'utf8' });

  const strict = cli(file, 'petstore', '--strict');
  expect(strict.status).toBe(1);
  expect(strict.stderr).toMatch(/^import failed: invalid OpenAPI document/);
  expect(strict.stderr).toContain('at components.schemas.Pet.properties.category.required: must be array');

  const lenient = cli(file, 'petstore');
  expect(lenient.status).toBe(0);
  const result = JSON.parse(lenient.stdout);
  expect(result).toMatchObject({ application: 'petstore@v1', actions: 20, created: true });
  expect(result.warnings).toEqual(expect.arrayContaining([{ location: 'components.schemas.Pet.properties.category.required', message: 'must be array' }]));

  expect(cli(file, '--sloppy').stderr).toMatch(/^unknown option --sloppy/);
}, 60_000);
