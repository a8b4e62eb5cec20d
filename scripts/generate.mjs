// `npm run generate`: writes the files derived from the code (see runtime/generate-registries.ts
// and runtime/generate-applications.ts). Runs before tsc, so it loads the TypeScript sources
// through a transpile-only hook: the indexes are read from the sources, then the applications are
// loaded to write the workflows' manifest, and each application committed under applications/ is
// imported to write its versions and types.
// `--check` writes nothing and fails, naming the files, when one is not what it would write.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { require, root } from './ts-hook.mjs';

const check = process.argv.includes('--check');

const generate = require(join(root, 'runtime/generate-registries.ts'));
const files = [generate.integrationsIndex(root), generate.discoveredFlowsIndex(root), generate.workflowBundleIndex(root)];
// After the integrations index: the catalog it builds is what the manifest is read from.
const { rateLimitedIntegrations } = require(join(root, 'connectors/catalog.ts'));
const { committedRateLimitedGroups } = require(join(root, 'connectors/openapi/committed.ts'));
files.push(generate.connectorManifest([...rateLimitedIntegrations().map(({ key }) => key), ...committedRateLimitedGroups(root)]));
const { committedApplicationFiles } = require(join(root, 'runtime/generate-applications.ts'));
files.push(...(await committedApplicationFiles(root)));

if (check) {
  const stale = files.filter((file) => !existsSync(join(root, file.path)) || readFileSync(join(root, file.path), 'utf8') !== file.content).map((file) => file.path);
  if (stale.length) {
    console.error(`stale generated files: ${stale.join(', ')}; run \`npm run generate\` (npm run build and npm test do) and commit them`);
    process.exit(1);
  }
  console.log('generated files up to date');
} else {
  const changed = files.filter((file) => generate.writeGenerated(root, file)).map((file) => file.path);
  console.log(changed.length ? `generated ${changed.join(', ')}` : 'generated files up to date');
}
