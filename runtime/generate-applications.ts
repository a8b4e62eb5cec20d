/**
 * The files `npm run generate` writes for each application committed under `applications/<name>/`
 * (connectors/openapi/committed.ts):
 * - `versions.json`: the version of every document (with its application file) it has had, by
 *   hash; a changed document gets the next version, one seen before its old one;
 * - `openapi.types.ts`: its actions' types and the reference flows name it by (`inventoryV1`),
 *   formatted as the project formats.
 * Kept out of generate-registries.ts: the type generator loads prettier, which jest cannot load.
 */
import { join } from 'node:path';
import { committedApplications, committedSpec, readCommitted, readVersions, TYPES_FILE, VERSIONS_FILE, withVersionOf } from '../connectors/openapi/committed';
import { formatFile, generateCommittedTypes } from '../connectors/openapi/generate-types';
import type { GeneratedFile } from './generate-registries';

export async function committedApplicationFiles(root: string): Promise<GeneratedFile[]> {
  const files: GeneratedFile[] = [];
  for (const app of committedApplications(root)) {
    const source = readCommitted(app, root);
    const { versions, version } = withVersionOf(readVersions(app, root), source.hash);
    const spec = await committedSpec(source, version);
    const sources = [app.document, ...(app.applicationFile ? [app.applicationFile] : [])];
    files.push({ path: `${app.folder}/${VERSIONS_FILE}`, content: await formatFile(JSON.stringify(versions, null, 2), join(root, app.folder, VERSIONS_FILE)) });
    files.push({
      path: `${app.folder}/${TYPES_FILE}`,
      content: await generateCommittedTypes(spec, { filepath: join(root, app.folder, TYPES_FILE), sources, signed: spec.application?.webhooks !== undefined }),
    });
  }
  return files;
}
