/** Every application the engine knows. Adding a service = adding a file and a line here. */
import type { Application } from './framework/application';
import { demoCrm } from './demo-crm';

export const applications: readonly Application[] = [demoCrm];

export function findApplication(name: string): Application | undefined {
  return applications.find((app) => app.name === name);
}
