/** The spellings of one name: files and applications in kebab-case, functions and connectors in camelCase. */
import { UsageError } from '../usage-error';

export { UsageError };

const WORDS = /[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])/g;

function words(name: string): string[] {
  return (name.match(WORDS) ?? []).map((word) => word.toLowerCase());
}

/** `acmeInventory`, `Acme inventory`, `acme_inventory` → `acme-inventory`. */
export function kebabCase(name: string): string {
  return words(name).join('-');
}

/** `acme-inventory` → `acmeInventory`. */
export function camelCase(name: string): string {
  return words(name)
    .map((word, i) => (i === 0 ? word : word.charAt(0).toUpperCase() + word.slice(1)))
    .join('');
}

/** `acme-inventory` → `AcmeInventory`. */
export function pascalCase(name: string): string {
  const camel = camelCase(name);
  return camel.charAt(0).toUpperCase() + camel.slice(1);
}

/** `acme-inventory` → `Acme Inventory`. */
export function titleCase(name: string): string {
  return words(name)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join(' ');
}

const RESERVED = new Set(
  'break case catch class const continue debugger default delete do else enum export extends false finally for function if import in instanceof new null return super switch this throw true try typeof var void while with yield let static implements interface package private protected public await'.split(
    ' ',
  ),
);

/** A name the scaffold can turn into files and identifiers, or a message saying why not. */
export function checkName(what: string, name: string | undefined): string {
  if (!name || name.startsWith('-')) throw new UsageError(`${what}: give a name, e.g. acme-inventory`);
  if (!/^[A-Za-z][A-Za-z0-9]*([-_][A-Za-z0-9]+)*$/.test(name)) throw new UsageError(`${what} "${name}": use letters and digits, starting with a letter (acme-inventory or acmeInventory)`);
  const kebab = kebabCase(name);
  if (RESERVED.has(camelCase(name))) throw new UsageError(`${what} "${name}" is a reserved word in TypeScript`);
  return kebab;
}
