/** `npm run new -- application <name>`: an application folder, a starter connector, its fake and its test. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { catalogKey } from '../../connectors/framework/integration';
import { applicationFolders } from '../generate-registries';
import { camelCase, checkName, pascalCase, titleCase, UsageError } from './names';
import type { Plan } from './plan';
import { quoted, render } from './render';

/** Folders of connectors/ that are the engine's own (as in generate-registries.ts). */
const RESERVED_FOLDERS = new Set(['framework', 'openapi', 'generated']);

/** A new application's folder name, checked against what is there: its catalog key must be free too. */
export function newApplicationName(root: string, given: string | undefined): string {
  const name = checkName('application', given);
  if (RESERVED_FOLDERS.has(name)) throw new UsageError(`connectors/${name}/ is the engine's own folder; pick another name`);
  if (existsSync(join(root, 'connectors', name))) throw new UsageError(`connectors/${name}/ already exists`);
  const clash = applicationFolders(root).find((folder) => catalogKey(folder) === catalogKey(name));
  if (clash) throw new UsageError(`${name} would share the catalog key "${catalogKey(name)}" with connectors/${clash}/`);
  return name;
}

export async function scaffoldApplication(root: string, given: string | undefined, options: { baseUrl?: string }): Promise<Plan> {
  const name = newApplicationName(root, given);
  const baseUrl = options.baseUrl ?? `https://api.${name}.example.com`;
  if (!URL.canParse(baseUrl) || new URL(baseUrl).protocol !== 'https:') throw new UsageError(`--base-url "${baseUrl}" must be an https:// URL`);
  const values = { name, camel: camelCase(name), pascal: pascalCase(name), title: quoted(titleCase(name)), baseUrl: quoted(baseUrl.replace(/\/+$/, '')), host: new URL(baseUrl).hostname };
  const files = [
    ['connectors/{name}/application.ts', 'application/application.ts.tmpl'],
    ['connectors/{name}/list-items.ts', 'application/list-items.ts.tmpl'],
    ['connectors/{name}/index.ts', 'application/index.ts.tmpl'],
    ['test/vendors/{name}/fake-{name}.ts', 'application/fake.ts.tmpl'],
    ['test/vendors/{name}/{name}.test.ts', 'application/test.ts.tmpl'],
  ];
  return {
    create: await Promise.all(files.map(([path, template]) => render(root, path!.replaceAll('{name}', name), template!, values))),
    change: [],
    next: [
      `connectors/${name}/application.ts: the service's base URL, auth, settings and webhook signature`,
      `npm run new -- connector ${name} <name> [--method POST --path /things/{id}]   adds an endpoint`,
      `npm run new -- flow <name> --trigger polling|webhook --app ${name}             adds a flow`,
      `npx jest test/vendors/${name}                                                  runs its tests`,
    ],
  };
}
