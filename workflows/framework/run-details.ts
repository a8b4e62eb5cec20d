/**
 * The "details" the Web UI shows on a run's page (user metadata, Markdown): what started it and
 * what it does, in words, so an operator need not read code to understand a run.
 */
import type { RunnableWorkflow, TriggerKind } from './run-options';

export function runDetails(workflow: RunnableWorkflow, application: string, channelId: string, trigger: TriggerKind, started: string): string {
  return [`**${workflow.name}**: ${workflow.description}`, '', `- Application: \`${application}\`, channel \`${channelId}\``, `- Trigger: ${trigger} (${started})`].join('\n');
}
