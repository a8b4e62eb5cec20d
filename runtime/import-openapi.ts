/**
 * `npm run openapi:import -- <file.json|yaml> [name]`: imports an OpenAPI document into the store
 * (as POST /applications/import does) and prints the result.
 */
import { readFileSync } from 'node:fs';
import { importOpenApi } from '../connectors/openapi/import';
import { ImportError } from '../connectors/openapi/load-document';
import { openStore } from '../store/open-store';
import { dataDir } from './data-dir';

async function main(): Promise<void> {
  const [file, name] = process.argv.slice(2);
  if (!file) throw new Error('usage: npm run openapi:import -- <file.json|file.yaml> [name]');
  const store = await openStore(dataDir());
  try {
    console.log(JSON.stringify(await importOpenApi(store.imported, readFileSync(file, 'utf8'), name), null, 2));
  } finally {
    await store.close();
  }
}

main().catch((err) => {
  console.error(err instanceof ImportError ? `import failed: ${err.message}\n${err.issues.map((i) => `  at ${i.location}: ${i.message}`).join('\n')}` : err);
  process.exit(1);
});
