// `prestart`, before any install or build: a system already running from this folder keeps its
// dist/ and ports; this start says so and stops.
import { runningSystem } from './running-system.mjs';

const running = runningSystem();
if (running) {
  console.error(`[start] already running from this folder (pid ${running.pid}, ${running.file}): stop it with "npm stop" or Ctrl-C where it runs`);
  process.exit(1);
}
