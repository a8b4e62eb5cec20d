/**
 * The catalog groups whose application declares `rateLimit`. Plain data, because workflows read it
 * to route those calls to their own task queue and cannot import the catalog itself;
 * `connectors/catalog.test.ts` keeps it equal to the applications' declarations.
 */
export const rateLimitedGroups: readonly string[] = ['demoErp', 'demoHelpdesk'];
