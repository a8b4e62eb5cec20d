/**
 * TypeScript types for an imported application's actions (json-schema-to-typescript), so flows
 * call them with checked input and output: `useImportedConnectors<PetstoreV1>('petstore@v1')`.
 */
import { compile } from 'json-schema-to-typescript';
import { actionInputSchema } from './to-runtime';
import { applicationName, type ImportedSpec } from './spec';

function typeName(...parts: string[]): string {
  return parts
    .join(' ')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('')
    .replace(/^(\d)/, 'T$1');
}

export async function generateTypes(spec: ImportedSpec): Promise<string> {
  const app = typeName(spec.slug, `v${spec.version}`);
  // One schema holding every action's input and output, so shared components become shared types.
  const properties: Record<string, unknown> = {};
  for (const action of spec.actions) {
    properties[action.name] = {
      type: 'object',
      additionalProperties: false,
      required: ['input', 'output'],
      properties: { input: { ...actionInputSchema(action), title: typeName(action.name, 'input') }, output: action.output ?? {} },
    };
  }
  const schema = { type: 'object', additionalProperties: false, required: spec.actions.map((a) => a.name), properties, components: spec.components };
  const body = await compile(schema as never, app, { bannerComment: '', additionalProperties: false, unreachableDefinitions: false, strictIndexSignatures: true, format: false });
  return `// Generated from ${applicationName(spec.slug, spec.version)} (${spec.title}) by \`npm run openapi:types\`. Do not edit.\n// Use in a flow: const api = useImportedConnectors<${app}>('${applicationName(spec.slug, spec.version)}');\n\n${body}`;
}
