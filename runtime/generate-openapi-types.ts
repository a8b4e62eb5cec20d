/**
 * `npm run openapi:types -- <application@vN> [out-file]`: writes TypeScript types for an imported
 * application's actions (default `connectors/generated/<slug>-v<N>.ts`).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { generateTypes } from '../connectors/openapi/generate-types';
import { parseApplicationName } from '../connectors/openapi/spec';
import { openStore } from '../store/open-store';
import { createCliLogger } from './logger';
import { dataDir } from './data-dir';
import { loadEnvironment } from './config/environment';
import { projectRoot } from './temporal-cli';

async function main(): Promise<void> {
  const { env } = loadEnvironment(); // a bad value stops here, naming the variable
  const [application, out] = process.argv.slice(2);
  const parsed = application && parseApplicationName(application);
  if (!parsed) throw new Error('usage: npm run openapi:types -- <application@vN> [out-file]   (e.g. petstore@v1)');
  const store = await openStore(dataDir(env), (line) => createCliLogger('generate-openapi-types').warn(line), env);
  try {
    const spec = await store.imported.get(parsed.slug, parsed.version);
    if (!spec) throw new Error(`${application} is not imported (see GET /applications)`);
    const file = out ?? join(projectRoot, 'connectors', 'generated', `${parsed.slug}-v${parsed.version}.ts`);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, await generateTypes(spec, file));
    console.log(`wrote ${file} (${spec.actions.length} actions)`);
  } finally {
    await store.close();
  }
}

main().catch((err) => {
  console.error((err as Error).message);
  process.exit(1);
});
