/** `npm run build`'s last step: the flows' workflow bundle, for workers to load instead of bundling at start (./workflow-bundle.ts). */
import { buildWorkflowBundle } from './workflow-bundle';

buildWorkflowBundle().then(
  ({ codePath, files }) => console.log(`workflow bundle: ${codePath} (${files} files)`),
  (err: Error) => {
    console.error(`could not build the workflow bundle: ${err.message}`);
    process.exit(1);
  },
);
