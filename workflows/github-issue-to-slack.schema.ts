/**
 * The body of GitHub's `issues` webhook event (https://docs.github.com/webhooks/webhook-events-and-payloads#issues),
 * as far as githubIssueToSlack reads it. Loose: GitHub's payload carries much more, and every
 * action of the event (opened, closed, labeled, …) fits, so each one is acknowledged.
 */
import { z } from 'zod';

export const GitHubIssuesEvent = z.looseObject({
  action: z.string().min(1),
  issue: z.looseObject({
    number: z.number().int(),
    title: z.string(),
    html_url: z.url(),
    user: z.looseObject({ login: z.string() }).nullable(),
  }),
  repository: z.looseObject({ full_name: z.string() }),
});
export type GitHubIssuesEvent = z.output<typeof GitHubIssuesEvent>;

export const githubIssuesOpenedExample: z.input<typeof GitHubIssuesEvent> = {
  action: 'opened',
  issue: { number: 1, title: 'Spelling error in the README file', html_url: 'https://github.com/Codertocat/Hello-World/issues/1', user: { login: 'Codertocat' } },
  repository: { full_name: 'Codertocat/Hello-World' },
};
