/**
 * What a scaffold does to the repository, decided before anything is written: new files (none may
 * exist yet) and changed ones (their whole new text). Applying it writes everything or, when one
 * file is in the way, nothing.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import ts from 'typescript';
import { UsageError } from './names';

export interface PlannedFile {
  /** Relative to the repository's root, with `/`. */
  path: string;
  content: string;
}

export interface Plan {
  create: PlannedFile[];
  change: PlannedFile[];
  /** What to do next, printed after the files. */
  next: string[];
}

export function applyPlan(root: string, plan: Plan): void {
  const taken = plan.create.filter((file) => existsSync(join(root, file.path))).map((file) => file.path);
  if (taken.length > 0) throw new UsageError(`not written, these already exist: ${taken.join(', ')}`);
  for (const file of [...plan.create, ...plan.change]) {
    mkdirSync(dirname(join(root, file.path)), { recursive: true });
    writeFileSync(join(root, file.path), file.content);
  }
}

/**
 * `connectors/<app>/index.ts` with one more connector: its import after the last import, and its
 * name at the end of the object `defineIntegration(app, { … })` is given. The file is the
 * application's own list of connectors (defineIntegration checks each is listed under its name).
 */
export function withConnectorListed(path: string, text: string, connector: string, module: string): string {
  const source = ts.createSourceFile(path, text, ts.ScriptTarget.ES2022, true);
  let list: ts.ObjectLiteralExpression | undefined;
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'defineIntegration' && node.arguments[1] && ts.isObjectLiteralExpression(node.arguments[1]))
      list = node.arguments[1];
    else ts.forEachChild(node, visit);
  };
  visit(source);
  if (!list) throw new UsageError(`${path}: no defineIntegration(application, { … }) with an object of connectors to add ${connector} to`);
  const names = list.properties.map((property) => property.name && ts.isIdentifier(property.name) && property.name.text);
  if (names.includes(connector)) throw new UsageError(`${path} already lists a connector named ${connector}`);
  const imports = source.statements.filter(ts.isImportDeclaration);
  const importAt = imports.length > 0 ? imports[imports.length - 1]!.end : 0;
  const entries = list.properties;
  // After the last entry (keeping a trailing comma where there is one), or inside the empty braces.
  const listAt = entries.length > 0 ? entries[entries.length - 1]!.end : list.getStart(source) + 1;
  const entry = entries.length > 0 ? `, ${connector}` : ` ${connector} `;
  const importLine = `\nimport { ${connector} } from '${module}';`;
  return text.slice(0, importAt) + importLine + text.slice(importAt, listAt) + entry + text.slice(listAt);
}

export function read(root: string, path: string): string {
  return readFileSync(join(root, path), 'utf8');
}
