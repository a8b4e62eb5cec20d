/** Imported applications are named `<slug>@v<version>`; code-defined ones have no version. */
export function parseVersion(name: string): { slug: string; version: number | null } {
  const match = /^(.+)@v(\d+)$/.exec(name);
  return match ? { slug: match[1]!, version: Number(match[2]) } : { slug: name, version: null };
}
