// `npm run new -- application|connector|flow …`: see runtime/scaffold/cli.ts. Runs on the sources
// (no build needed), so it sees the applications as they are in the working tree.
import { join } from 'node:path';
import { require, root } from './ts-hook.mjs';

const { main } = require(join(root, 'runtime/scaffold/cli.ts'));
process.exitCode = await main(root, process.argv.slice(2));
