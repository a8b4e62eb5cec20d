/**
 * The committed workflow histories under test/histories/: `<flow>.json` recorded from the current
 * code by `npm run histories:record`, and `<change>/<flow>.json` (pre-patch/, pre-local-calls/),
 * kept by hand, recorded from code that a `patched()` change has since replaced (they must keep
 * replaying, as runs in flight would).
 *
 * A file is `{ workflowId, history }`, the history in Temporal's proto JSON: the format
 * `temporal workflow show --output json` and the Web UI's download write, so either can be
 * dropped in here too.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { temporal } from '@temporalio/proto';
import { projectRoot } from '../../runtime/temporal-cli';
import { historyFromJson, historyToJson } from './history-json';

type History = temporal.api.history.v1.IHistory;

export const historiesDir = join(projectRoot, 'test', 'histories');

export interface HistoryFile {
  /** The run's workflow id: histories do not carry it, and a flow may read it. */
  workflowId: string;
  history: unknown;
}

export interface StoredHistory {
  /** `orderPlaced`, or `pre-patch/orderPlaced`: the file's path below test/histories/, without `.json`. */
  name: string;
  /** The workflow type, from the file's name. */
  flow: string;
  workflowId: string;
  history: History;
}

export function writeHistory(flow: string, workflowId: string, history: History, dir: string = historiesDir): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${flow}.json`);
  const content: HistoryFile = { workflowId, history: historyToJson(history) };
  writeFileSync(file, `${JSON.stringify(content, null, 2)}\n`);
  return file;
}

/** Every history below `dir` (sub-folders included), sorted by name. */
export function readHistories(dir: string = historiesDir): StoredHistory[] {
  const found: StoredHistory[] = [];
  const walk = (at: string): void => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.json')) {
        const content = JSON.parse(readFileSync(path, 'utf8')) as HistoryFile;
        const name = relative(dir, path).replace(/\.json$/, '');
        found.push({ name, flow: entry.name.replace(/\.json$/, ''), workflowId: content.workflowId, history: historyFromJson(content.history) });
      }
    }
  };
  walk(dir);
  return found.sort((a, b) => a.name.localeCompare(b.name));
}
