// Tests of Temporal's own services (killing one) need the cluster: `npm run test:cluster` only.
const cluster = process.env.TEST_TEMPORAL === 'cluster';

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
    // oauth4webapi, and json-schema-ref-parser under openapi-backend (the vendor fakes' validator), ship ESM
    // only; Node loads them natively (require(esm)), jest needs them as CommonJS.
    '^.+/node_modules/(oauth4webapi|@apidevtools/json-schema-ref-parser)/.+\\.js$': ['ts-jest', { tsconfig: { allowJs: true, module: 'commonjs', target: 'ES2022', isolatedModules: true } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!(oauth4webapi|@apidevtools/json-schema-ref-parser|openapi-backend/node_modules/@apidevtools/json-schema-ref-parser)/)'],
  testMatch: ['<rootDir>/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/.tools/', ...(cluster ? [] : ['\\.cluster\\.test\\.ts$'])],
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  testTimeout: 90_000,
};
