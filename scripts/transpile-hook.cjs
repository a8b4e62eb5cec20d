// Loads TypeScript sources in plain Node, transpile-only (no type check), for the scripts that run
// before tsc (scripts/generate.mjs) and for tests that run code outside jest:
// `node --require ./scripts/transpile-hook.cjs …`.
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS hook, loaded with node --require */
const Module = require('node:module');
const { readFileSync } = require('node:fs');
const ts = require('typescript');

const compilerOptions = { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, experimentalDecorators: true, emitDecoratorMetadata: true, sourceMap: false };
Module._extensions['.ts'] = (module, filename) => {
  const { outputText } = ts.transpileModule(readFileSync(filename, 'utf8'), { compilerOptions, fileName: filename });
  module._compile(outputText, filename);
};
