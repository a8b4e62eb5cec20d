import * as bundle from '../workflows';
import { flows } from '../workflows/flows';
import { defineFlows, type FlowDefinition } from '../workflows/framework/flow';
import { systemWorkflows } from '../workflows/system-workflows';
import { checkConnectorManifest, checkWorkflowBundle } from './registry-checks';

const systemNames = Object.values(systemWorkflows).map((workflow) => workflow.name);

it('finds every registered workflow in the bundle', () => {
  expect(() => checkWorkflowBundle(flows, systemNames, bundle)).not.toThrow();
  expect(() => checkConnectorManifest()).not.toThrow();
});

it('refuses to start with a flow the bundle does not export, naming the file to fix', () => {
  const unbundled = { ...flows.all[0]!, name: 'notInTheBundle' } as FlowDefinition;
  const registry = defineFlows([...flows.all, unbundled]);
  expect(() => checkWorkflowBundle(registry, systemNames, bundle)).toThrow(/workflows\/index\.ts .* does not export "notInTheBundle", registered in workflows\/flows\.ts: run `npm run generate`/);
});

it('refuses to start with a stale manifest, naming it', () => {
  expect(() => checkConnectorManifest(['demoErp', 'demoHelpdesk'], ['demoErp'])).toThrow(
    /workflows\/generated\/connector-manifest\.ts lists .*\[demoErp\].*\[demoErp, demoHelpdesk\]: run `npm run generate`/,
  );
});
