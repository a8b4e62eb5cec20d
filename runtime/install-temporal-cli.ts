import { ensureTemporalCli } from './temporal-cli';

console.log(ensureTemporalCli());
