// `npm run generate`: writes the files derived from the code (see runtime/generate-registries.ts).
// Runs before tsc, so it loads the TypeScript sources through a transpile-only hook: the indexes
// are read from the sources, then the applications are loaded to write the workflows' manifest.
import { join } from 'node:path';
import { require, root } from './ts-hook.mjs';

const generate = require(join(root, 'runtime/generate-registries.ts'));
const changed = [];
const write = (file) => generate.writeGenerated(root, file) && changed.push(file.path);
write(generate.integrationsIndex(root));
write(generate.discoveredFlowsIndex(root));
write(generate.workflowBundleIndex(root));
// After the integrations index: the catalog it builds is what the manifest is read from.
const { rateLimitedIntegrations } = require(join(root, 'connectors/catalog.ts'));
write(generate.connectorManifest(rateLimitedIntegrations().map(({ key }) => key)));
console.log(changed.length ? `generated ${changed.join(', ')}` : 'generated files up to date');
