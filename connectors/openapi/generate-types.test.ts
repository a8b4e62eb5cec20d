/**
 * The two commands a user runs, as built (`npm run openapi:import`, `npm run openapi:types`):
 * the generated types are real TypeScript, so a flow using them compiles and a wrong input does
 * not (checked with the TypeScript compiler itself).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import ts from 'typescript';
import { generateKey } from '../../store/credential-cipher';

const root = resolve(__dirname, '..', '..');

function typeErrors(dir: string, files: string[]): string[] {
  // The project's own settings (tsconfig.json) where they matter to the modules a flow pulls in: ES2022 without the DOM, Node's types, esModuleInterop.
  const program = ts.createProgram(
    files.map((f) => join(dir, f)),
    {
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2022,
      lib: ['lib.es2022.d.ts'],
      moduleResolution: ts.ModuleResolutionKind.Node10,
      baseUrl: root,
      types: ['node'],
      typeRoots: [join(root, 'node_modules', '@types')],
      esModuleInterop: true,
    },
  );
  return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

it("imports a document and writes types that check a flow's calls of its actions", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'engine-types-'));
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: join(dir, 'data'), CREDENTIALS_KEYS: generateKey('t') };
  delete env.DATABASE_URL;
  const run = (script: string, ...args: string[]) => execFileSync(process.execPath, [join(root, 'dist', 'runtime', script), ...args], { env, encoding: 'utf8' });
  const imported = JSON.parse(run('import-openapi.js', join(root, 'test', 'data', 'openapi', 'petstore-3.0.json'), 'petstore'));
  expect(imported).toMatchObject({ application: 'petstore@v1', actions: 20 });
  expect(run('generate-openapi-types.js', 'petstore@v1', join(dir, 'petstore-v1.ts'))).toMatch(/wrote .*petstore-v1\.ts \(20 actions\)/);
  expect(readFileSync(join(dir, 'petstore-v1.ts'), 'utf8')).toContain('export interface PetstoreV1');

  const client = JSON.stringify(join(root, 'workflows', 'framework', 'imported-connectors'));
  writeFileSync(
    join(dir, 'good-flow.ts'),
    `import { useImportedConnectors } from ${client};
import type { PetstoreV1 } from './petstore-v1';
export async function petName(channelId: string): Promise<string> {
  const petstore = useImportedConnectors<PetstoreV1>('petstore@v1');
  const pet = await petstore.getPetById(channelId, { petId: 7 });
  await petstore.addPet(channelId, { body: { name: pet.name, photoUrls: [] } });
  return pet.name;
}\n`,
  );
  writeFileSync(
    join(dir, 'bad-flow.ts'),
    `import { useImportedConnectors } from ${client};
import type { PetstoreV1 } from './petstore-v1';
export async function wrong(channelId: string): Promise<void> {
  const petstore = useImportedConnectors<PetstoreV1>('petstore@v1');
  await petstore.getPetById(channelId, { petId: 'seven' });
}\n`,
  );
  expect(typeErrors(dir, ['good-flow.ts'])).toEqual([]);
  expect(typeErrors(dir, ['bad-flow.ts']).join('\n')).toMatch(/Type 'string' is not assignable to type 'number'/);
}, 60_000);

/** The generator run outside jest (prettier loads itself with a dynamic import jest's VM refuses), from the sources. */
function generatedFrom(spec: object): string {
  const script = `require(${JSON.stringify(join(root, 'connectors', 'openapi', 'generate-types.ts'))})
    .generateTypes(${JSON.stringify(spec)}, ${JSON.stringify(join(root, 'connectors', 'generated', 'x.ts'))})
    .then((text) => process.stdout.write(text));`;
  return execFileSync(process.execPath, ['--require', join(root, 'scripts', 'transpile-hook.cjs'), '-e', script], { cwd: root, encoding: 'utf8' });
}

it('types a property named like a JSON Schema keyword as that property, nothing more, and formats the file', () => {
  const spec = {
    slug: 'stock',
    version: 3,
    title: 'Stock',
    dialect: '3.0',
    servers: [],
    auth: { kind: 'none' },
    unsupported: [],
    components: {
      schemas: {
        // `items`, `properties` and `required` as property names; a document's own `tsType` must not become code.
        Page: {
          type: 'object',
          required: ['items'],
          properties: {
            items: { type: 'array', items: { $ref: '#/components/schemas/Item' } },
            properties: { type: 'integer' },
            required: { type: 'boolean' },
            next: { type: 'string', nullable: true },
          },
          example: { items: [{ sku: 'a', items: 2 }] },
        },
        Item: { type: 'object', required: ['sku'], properties: { sku: { type: 'string' }, tsType: { type: 'string' } }, tsType: 'any; export const injected = 1' },
      },
    },
    actions: [
      { name: 'listItems', method: 'GET', path: '/items', parameters: [{ name: 'items', in: 'query', required: false, schema: { type: 'integer' } }], output: { $ref: '#/components/schemas/Page' } },
    ],
  };
  const text = generatedFrom(spec);
  expect(text).toContain('export interface Page {\n  items: Item[];\n  properties?: number;\n  required?: boolean;\n  next?: string | null;\n}\n');
  expect(text).toContain('export interface Item {\n  sku: string;\n  tsType?: string;\n}\n');
  expect(text).toContain('export interface ListItemsInput {\n  items?: number;\n}\n');
  expect(text).not.toMatch(/minItems|injected/);
  // Formatted as the project formats: prettier --check agrees.
  const dir = mkdtempSync(join(root, 'connectors', 'openapi', '.types-'));
  try {
    writeFileSync(join(dir, 'stock-v3.ts'), text);
    expect(() => execFileSync(process.execPath, [require.resolve('prettier/bin/prettier.cjs'), '--check', join(dir, 'stock-v3.ts')], { cwd: root, encoding: 'utf8' })).not.toThrow();
    expect(typeErrors(dir, ['stock-v3.ts'])).toEqual([]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);
