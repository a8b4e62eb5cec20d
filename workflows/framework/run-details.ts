/**
 * The "details" the Web UI shows on a run's page (user metadata, Markdown): what started it and
 * what it does, in words, so an operator need not read code to understand a run.
 */
import type { FlowDefinition } from './flow';
import type { TriggerKind } from './run-options';

type DescribedFlow = Pick<FlowDefinition, 'name' | 'description'> & { application: { name: string } };

export function runDetails(flow: DescribedFlow, channelId: string, trigger: TriggerKind, started: string): string {
  return [`**${flow.name}**: ${flow.description}`, '', `- Application: \`${flow.application.name}\`, channel \`${channelId}\``, `- Trigger: ${trigger} (${started})`].join('\n');
}
