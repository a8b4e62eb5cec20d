/**
 * Fills a template of scripts/templates with values and formats the result as the repository
 * formats its code (Prettier with .prettierrc.json), so a scaffolded file passes `npm run lint`
 * as it is written.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const TEMPLATES = join(__dirname, '..', '..', 'scripts', 'templates');

/** `{{name}}` → values.name; a placeholder without a value is an error, so no file is written half-filled. */
export function fill(template: string, values: Readonly<Record<string, string>>, source = 'template'): string {
  return template.replace(/\{\{([a-zA-Z][a-zA-Z0-9]*)\}\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`${source}: no value for {{${name}}}`);
    return value;
  });
}

export function template(path: string): string {
  return readFileSync(join(TEMPLATES, path), 'utf8');
}

/** The file at `path` (relative to `root`), from the template, formatted. */
export async function render(root: string, path: string, templatePath: string, values: Readonly<Record<string, string>>): Promise<{ path: string; content: string }> {
  return { path, content: await formatted(root, path, fill(template(templatePath), values, templatePath)) };
}

export async function formatted(root: string, path: string, content: string): Promise<string> {
  const filepath = join(root, path);
  // Loaded when first needed: a refused scaffold never pays for it.
  const { format, resolveConfig } = await import('prettier');
  const options = (await resolveConfig(filepath)) ?? {};
  try {
    return await format(content, { ...options, filepath });
  } catch (err) {
    // A template filled with a value it was not made for: say which file, not Prettier's internals.
    throw new Error(`${path} would not be valid TypeScript (a fault of the scaffold, please report it): ${(err as Error).message.split('\n')[0]}`);
  }
}

/** A value as TypeScript source: JSON, with `code` spliced in where the value holds one of its keys. */
export function literal(value: unknown, code: Readonly<Record<string, string>> = {}): string {
  let text = JSON.stringify(value) ?? 'undefined';
  for (const [marker, expression] of Object.entries(code)) text = text.split(JSON.stringify(marker)).join(expression);
  return text;
}

/** A string as a single-quoted TypeScript literal's contents. */
export function quoted(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, ' ');
}
