/**
 * `npm run openapi:import -- <file.json|yaml> [name] [--strict]`: imports an OpenAPI (or Swagger
 * 2.0) document into the store, as POST /applications/import does, and prints the result.
 * `--strict` refuses a document with validation faults instead of importing it with warnings.
 */
import { readFileSync } from 'node:fs';
import { ImportError, ImportLimitError } from '../connectors/openapi/errors';
import { importOpenApi } from '../connectors/openapi/import';
import { importLimits } from '../connectors/openapi/worker-runner';
import { openStore } from '../store/open-store';
import { createCliLogger } from './logger';
import { dataDir } from './data-dir';
import { loadEnvironment } from './config/environment';

const USAGE = 'usage: npm run openapi:import -- <file.json|file.yaml> [name] [--strict]';

function usage(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

async function main(): Promise<void> {
  const { env } = loadEnvironment(); // a bad value stops here, naming the variable
  const args = process.argv.slice(2);
  const flags = args.filter((arg) => arg.startsWith('--'));
  const unknown = flags.filter((flag) => flag !== '--strict');
  if (unknown.length > 0) usage(`unknown option ${unknown.join(', ')}`);
  const [file, name, extra] = args.filter((arg) => !arg.startsWith('--'));
  if (!file) usage('no file given');
  if (extra !== undefined) usage(`unexpected argument ${extra}`);
  const store = await openStore(dataDir(env), (line) => createCliLogger('import-openapi').warn(line), env);
  try {
    console.log(JSON.stringify(await importOpenApi(store.imported, readFileSync(file, 'utf8'), { name, strict: flags.includes('--strict'), limits: importLimits(env) }), null, 2));
  } finally {
    await store.close();
  }
}

main().catch((err) => {
  if (err instanceof ImportError) console.error(`import failed: ${err.message}\n${err.issues.map((i) => `  at ${i.location}: ${i.message}`).join('\n')}`);
  else if (err instanceof ImportLimitError) console.error(`import refused: ${err.message}`);
  else console.error(err);
  process.exit(1);
});
