/**
 * The fields of GitHub's objects the connectors hand on (GitHub sends many more; zod drops them).
 * Shapes from GitHub's OpenAPI description (`@octokit/openapi`): issue, issue-comment, repository, hook.
 */
import { z } from 'zod';

export const Owner = z.string().regex(/^[A-Za-z0-9_.-]+$/, 'a user or organization login');
export const RepoName = z.string().regex(/^[A-Za-z0-9_.-]+$/, 'a repository name');

export const SimpleUser = z.object({ login: z.string(), id: z.number(), type: z.string().optional() });

export const Label = z.union([z.string(), z.object({ name: z.string().optional() })]).transform((label) => (typeof label === 'string' ? label : (label.name ?? '')));

export const Issue = z.object({
  id: z.number(),
  number: z.number(),
  title: z.string(),
  body: z.string().nullish(),
  state: z.string(),
  html_url: z.string(),
  user: SimpleUser.nullable(),
  labels: z.array(Label),
  assignees: z.array(SimpleUser).nullish(),
  comments: z.number(),
  created_at: z.string(),
  updated_at: z.string(),
  closed_at: z.string().nullable(),
  /** Present when the "issue" is a pull request: GitHub's issues endpoints list both. */
  pull_request: z.object({ url: z.string() }).optional(),
});
export type Issue = z.output<typeof Issue>;

export const IssueComment = z.object({
  id: z.number(),
  body: z.string().optional(),
  html_url: z.string(),
  user: SimpleUser.nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});

export const Repository = z.object({
  id: z.number(),
  name: z.string(),
  full_name: z.string(),
  private: z.boolean(),
  owner: SimpleUser,
  html_url: z.string(),
  description: z.string().nullable(),
  default_branch: z.string().optional(),
  updated_at: z.string().nullable(),
});

export const Hook = z.object({
  id: z.number(),
  name: z.string(),
  active: z.boolean(),
  events: z.array(z.string()),
  url: z.string(),
  config: z.object({ url: z.string().optional(), content_type: z.string().optional() }),
});
