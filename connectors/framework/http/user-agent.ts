/** `<product>/<version>` from the project's package.json, the default User-Agent of every connector call. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

let cached: string | undefined;

export function productUserAgent(): string {
  if (cached) return cached;
  // Walks up from here: the same from the sources (ts-jest) and from dist/.
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const { name, version } = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (name && version) return (cached = `${name}/${version}`);
    }
    if (dirname(dir) === dir) return (cached = 'integration-engine');
  }
}
