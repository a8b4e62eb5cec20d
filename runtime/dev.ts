/**
 * `npm run dev`: the whole system as `npm start` runs it (./system.ts), and a watch on the code.
 * A change to a flow, a connector, an application or any other source the worker and the API are
 * built from is compiled incrementally (TypeScript's watch program on tsconfig.build.json, into
 * dist/ as `npm run build` does); when it compiles, the worker and the API are restarted, and
 * nothing else: the Temporal dev server and the demo go on, so runs, schedules and their history
 * survive, and a run in flight continues on the new worker (replayed against the new code, so a
 * change that breaks determinism shows there, as it would in production). When it does not
 * compile, the errors are printed and the worker and the API go on with the last good build; when
 * the new build compiles but the worker or the API dies at start, it says so and waits for the
 * next change, the dev server still running.
 *
 * Files added or removed under connectors/ and workflows/ (a new application folder, a flow file),
 * and the registries, change the generated indexes: chokidar watches those folders and runs
 * `npm run generate` (scripts/generate.mjs) before the compile is taken as done.
 */
import { spawn } from 'node:child_process';
import { join, relative, sep } from 'node:path';
import { watch } from 'chokidar';
import ts from 'typescript';
import { runSystem, type RunningSystem } from './system';
import { projectRoot } from './temporal-cli';

/** Folders whose files change what the generated indexes say (runtime/generate-registries.ts). */
const GENERATED_FROM = ['connectors', 'workflows'];
/** Written by generate: a change there is our own, not news. */
const GENERATED = new Set(['connectors/integrations.ts', 'workflows/index.ts', 'workflows/generated/flows.ts', 'workflows/generated/connector-manifest.ts']);
/** Quiet time after the last compile or generate before the restart: one restart for a burst of saves. */
const SETTLE_MS = 400;

// TypeScript's watch status codes: "Starting compilation…", "File change detected…", "Found N errors. Watching…".
const STARTING = new Set([6031, 6032]);
const FINISHED = new Set([6193, 6194]);

function watchDev(system: RunningSystem): void {
  let compiling = true; // the watch program's first compile starts at once
  let firstCompile = true;
  let generating = 0;
  let changed = false; // a good compile since the last restart
  let restarting: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let startedAt = Date.now();

  const restartWhenSettled = (): void => {
    clearTimeout(timer);
    if (!changed || compiling || generating > 0) return;
    timer = setTimeout(() => {
      if (!changed || compiling || generating > 0) return;
      if (restarting) return void restarting.then(restartWhenSettled);
      changed = false;
      restarting = restart().finally(() => (restarting = undefined));
    }, SETTLE_MS);
  };

  const restart = async (): Promise<void> => {
    const began = Date.now();
    const before = system.pids();
    system.log(`[dev] compiled in ${((began - startedAt) / 1000).toFixed(1)} s: restarting the worker and the API (the Temporal dev server and the demo go on)`);
    const after = await system.restartCode();
    system.log(`[dev] restarted: worker pid ${before.worker} → ${after.worker}, api pid ${before.api} → ${after.api} (${((Date.now() - began) / 1000).toFixed(1)} s)`);
    try {
      system.log((await system.ready()) === 'ok' ? '[dev] ready' : '[dev] up, but no worker polls yet: see its lines above');
    } catch (err) {
      system.warn(`[dev] ${(err as Error).message}: see the API's lines above`);
    }
  };

  const host = ts.createWatchCompilerHost(
    join(projectRoot, 'tsconfig.build.json'),
    {},
    ts.sys,
    ts.createEmitAndSemanticDiagnosticsBuilderProgram,
    (diagnostic) => system.warn(`[dev] ${ts.formatDiagnostic(diagnostic, formatHost)}`.trimEnd()),
    (diagnostic, _newLine, _options, errorCount) => {
      if (STARTING.has(diagnostic.code)) {
        compiling = true;
        startedAt = Date.now();
        clearTimeout(timer);
        return;
      }
      if (!FINISHED.has(diagnostic.code)) return;
      compiling = false;
      const errors = errorCount ?? 0;
      if (firstCompile) {
        firstCompile = false;
        const pids = Object.entries(system.pids())
          .filter(([, pid]) => pid !== undefined)
          .map(([name, pid]) => `${name} ${pid}`)
          .join(', ');
        system.log(
          `[dev] watching (pids: ${pids}): a change to a flow, connector or application restarts the worker and the API${errors > 0 ? `; the code has ${errors} error(s) now, see above` : ''}`,
        );
        return;
      }
      if (errors > 0) {
        system.warn(`[dev] ${errors} error(s): the worker and the API go on with the last build that compiled; fix them to restart`);
        return;
      }
      changed = true;
      restartWhenSettled();
    },
  );
  ts.createWatchProgram(host);

  const generate = (path: string): void => {
    generating += 1;
    clearTimeout(timer);
    const child = spawn(process.execPath, [join(projectRoot, 'scripts', 'generate.mjs')], { cwd: projectRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.once('exit', (code) => {
      generating -= 1;
      if (code !== 0) system.warn(`[dev] npm run generate failed after ${path} changed:\n${output.trim()}`);
      else if (!output.includes('up to date')) system.log(`[dev] ${output.trim()}`);
      restartWhenSettled();
    });
  };
  const watcher = watch(
    GENERATED_FROM.map((folder) => join(projectRoot, folder)),
    { ignoreInitial: true, ignored: (path) => GENERATED.has(relative(projectRoot, path).split(sep).join('/')) || /\.test\.ts$/.test(path) },
  );
  watcher.on('all', (event, path) => {
    if (event === 'change' && !/(flows|system-workflows|\.flow|application|index)\.ts$/.test(path)) return;
    generate(relative(projectRoot, path));
  });
}

const formatHost: ts.FormatDiagnosticsHost = {
  getCanonicalFileName: (name) => name,
  getCurrentDirectory: () => projectRoot,
  getNewLine: () => '\n',
};

runSystem({ command: 'npm run dev', onReady: watchDev, codeCrash: 'wait-for-change' });
