// `npm run dryrun -- <app>.<connector> …` or `npm run dryrun -- flow <name> …`: see
// runtime/dryrun/cli.ts. Runs on the sources (no build needed), so a connector is tried as it is
// in the working tree; a flow runs on the running system's worker.
import { join } from 'node:path';
import { require, root } from './ts-hook.mjs';

const { main } = require(join(root, 'runtime/dryrun/cli.ts'));
process.exitCode = await main(process.argv.slice(2), process.env);
