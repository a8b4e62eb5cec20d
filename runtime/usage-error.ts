/** A mistake in a command line (`npm run new`, `npm run dryrun`): printed as it is, without a stack, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
