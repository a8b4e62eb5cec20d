/**
 * The console's copies of the API's response shapes (web/src/types.ts, kept free of server code so
 * the browser bundle stays small) checked against the API's own types: a field the API renames or
 * retypes fails `tsc` here instead of a page in a browser.
 */
import type * as Console from './web/src/types';
import type { CallerView } from '../auth/api-key-requests';
import type { ApplicationDetailView, ApplicationView } from '../applications/application-view';
import type { ImportResult } from '../applications/import-requests';
import type { ChannelView } from '../channels/channel-view';
import type { ScheduleView } from '../channels/channel-schedule-view';
import type { FlowView } from '../flows/flow-view';
import type { RunProgress, RunView } from '../runs/run-view';

/** Compiles only when every value of `Server` is one the console accepts. */
type Fits<Server extends Console, Console> = Server;

export type ConsoleReadsTheApi = [
  Fits<CallerView, Console.Me>,
  Fits<ApplicationView, Console.Application>,
  Fits<ApplicationDetailView, Console.ApplicationDetail>,
  Fits<ImportResult, Console.ImportResult>,
  // Settings are typed per application on the server; every application's settings are an object.
  Fits<Omit<ChannelView, 'settings'> & { settings: Record<string, unknown> }, Console.Channel>,
  Fits<ScheduleView, Console.Schedule>,
  Fits<FlowView, Console.Flow>,
  Fits<RunView, Console.Run>,
  Fits<RunProgress, Console.RunProgress>,
];
