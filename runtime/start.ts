/**
 * `npm start`: the whole system on one machine (./system.ts): the Temporal dev server unless
 * TEMPORAL_ADDRESS names one, the demo services, the worker and the API. Ctrl-C stops everything.
 */
import { runSystem } from './system';

runSystem({ command: 'npm start' });
