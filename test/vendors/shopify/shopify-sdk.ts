/**
 * @shopify/shopify-api for the tests: its Node adapter (which the library needs loaded before use)
 * and its runtime's HMAC. The package's subpaths resolve, the way this project resolves modules
 * (node10, without `exports`), to its TypeScript sources, which do not compile under this
 * project's options; so they are required at run time, typed by the declarations it publishes.
 */
import type * as Runtime from '@shopify/shopify-api/dist/ts/runtime';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- see above
require('@shopify/shopify-api/adapters/node');
// eslint-disable-next-line @typescript-eslint/no-require-imports -- see above
const runtime = require('@shopify/shopify-api/runtime') as typeof Runtime;

/** The library's own HMAC-SHA256, as its webhook validation computes it. */
export const { createSHA256HMAC, HashFormat } = runtime;
export * from '@shopify/shopify-api';
