// `npm run generate`: writes the files derived from the code (see runtime/generate-registries.ts).
// Runs before tsc, so it loads the TypeScript sources through a transpile-only hook: the indexes
// are read from the sources, then the applications are loaded to write the workflows' manifest.
import Module, { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const ts = require('typescript');
const compilerOptions = { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, experimentalDecorators: true, emitDecoratorMetadata: true, sourceMap: false };
Module._extensions['.ts'] = (module, filename) => {
  const { outputText } = ts.transpileModule(readFileSync(filename, 'utf8'), { compilerOptions, fileName: filename });
  module._compile(outputText, filename);
};

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
