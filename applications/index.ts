/** Every application the engine knows. Adding a service = adding a file and a line here. */
import type { Application } from './framework/application';
import { demoCrm } from './demo-crm';
import { demoErp } from './demo-erp';
import { demoHelpdesk } from './demo-helpdesk';
import { demoMailer } from './demo-mailer';

export const applications: readonly Application[] = [demoCrm, demoHelpdesk, demoErp, demoMailer];

export function findApplication(name: string): Application | undefined {
  return applications.find((app) => app.name === name);
}
