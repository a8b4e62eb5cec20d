import { ensureTemporalCli } from './temporal-cli';

// The path is the result (stdout); progress goes to stderr through the logger.
console.log(ensureTemporalCli());
