// ESLint (typescript-eslint) for the whole tree, and the workflow bundle's rules as the Temporal
// samples enforce them: workflow code runs in Temporal's deterministic sandbox, so it imports no
// zod, no Node modules, no connector runtime, only types of connectors.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

/** Workflow files that are not bundled: the registry and the schemas (read by the worker and API), tests. */
const workflowFilesOutsideTheBundle = [
  'workflows/flows.ts',
  'workflows/**/*.flow.ts',
  'workflows/generated/flows.ts',
  'workflows/**/*.schema.ts',
  'workflows/**/*.test.ts',
  'workflows/framework/flow.ts',
  'workflows/framework/webhook-verification.ts',
  'workflows/system-workflows.ts',
  'workflows/framework/run-starter.ts',
];

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', '.tools/', '.data/', 'bench/results/', 'test/histories/*.json'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        console: 'readonly',
        process: 'readonly',
        Buffer: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        setImmediate: 'readonly',
        URL: 'readonly',
        URLSearchParams: 'readonly',
        fetch: 'readonly',
        AbortController: 'readonly',
        AbortSignal: 'readonly',
        TextEncoder: 'readonly',
        TextDecoder: 'readonly',
        structuredClone: 'readonly',
        performance: 'readonly',
        __dirname: 'readonly',
        require: 'readonly',
        module: 'writable',
        queueMicrotask: 'readonly',
        Response: 'readonly',
        Request: 'readonly',
        Headers: 'readonly',
        FormData: 'readonly',
        Blob: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    files: ['workflows/**/*.ts'],
    ignores: workflowFilesOutsideTheBundle,
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'zod', allowTypeImports: true, message: 'Workflow code stays free of zod: validate in activities or at the edge.' },
            { name: '@temporalio/client', message: 'Workflows use @temporalio/workflow only.' },
            { name: '@temporalio/worker', message: 'Workflows use @temporalio/workflow only.' },
            { name: '@temporalio/activity', message: 'Workflows use @temporalio/workflow only.' },
          ],
          patterns: [
            { group: ['node:*'], message: 'No Node modules in workflow code: it runs in a deterministic sandbox.' },
            // change-origin is a plain constant the engine's two-way syncs share, kept free of runtime code for this.
            // A committed application's generated types are plain data too: its reference is its name.
            {
              regex: '(^|/)(connectors|activities|store|api)/(?!framework/change-origin$)|(^|/)applications/(?![a-z][a-z0-9-]*/openapi\\.types$)',
              allowTypeImports: true,
              message: "Workflows may import only types of connectors, activities and applications; their runtime is the worker's.",
            },
          ],
        },
      ],
    },
  },
  // The console (React in the browser): the rules of hooks.
  { files: ['api/console/web/**/*.{ts,tsx}'], plugins: { 'react-hooks': reactHooks }, rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error' } },
  {
    files: ['**/*.test.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
