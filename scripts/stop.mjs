// `npm stop`: stops the system `npm start` runs from this folder (in the background, say) as
// Ctrl-C would: SIGINT, then it stops the API, worker, demo and Temporal in order. Waits for that.
import { runningSystem } from './running-system.mjs';

// runtime/system.ts gives each child 10 s before SIGKILL, and the dev server its own time.
const TIMEOUT_MS = 60_000;

const running = runningSystem();
if (!running) {
  console.log('[stop] no system is running from this folder');
  process.exit(0);
}
console.log(`[stop] stopping the system (pid ${running.pid})…`);
process.kill(running.pid, 'SIGINT');
const deadline = Date.now() + TIMEOUT_MS;
while (runningSystem()?.pid === running.pid) {
  if (Date.now() > deadline) {
    console.error(`[stop] pid ${running.pid} still runs after ${TIMEOUT_MS / 1000} s; its output says why (kill -9 ${running.pid} ends it at once)`);
    process.exit(1);
  }
  await new Promise((resolve) => setTimeout(resolve, 200));
}
console.log('[stop] stopped');
