/** A channel's settings inside a workflow, typed by its application. Workflow-safe (types only). */
import { proxyActivities } from '@temporalio/workflow';
import type { z } from 'zod';
import type { Activities } from '../../activities';
import type { Application } from '../../applications/framework/application';

const { channelSettings } = proxyActivities<Activities>({ startToCloseTimeout: '30 seconds' });

export async function settingsOf<A extends Application>(channelId: string): Promise<z.output<A['settings']>> {
  return (await channelSettings(channelId)) as z.output<A['settings']>;
}
