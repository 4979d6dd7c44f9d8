/**
 * Three tiers (conventions.md): unit beside the code, integration and e2e under test/; and the fuzz tier
 * (test/fuzz): requests generated from the OpenAPI document against the real app, run after integration.
 */
// esbuild (the pages' minifier) runs its synchronous API through a worker thread and a service process that live as
// long as the process: one per test file, since each file loads the modules afresh (22 in one integration run). In
// tests it runs each minification as its own short process instead; `npm start` keeps the one long-lived service.
process.env.ESBUILD_WORKER_THREADS ??= '0';
const transform = { '^.+\\.(t|j)s$': ['@swc/jest'] };
// file-type (the upload sniffer) and its helpers ship only ES modules: Node loads them with require(esm) (file-type's
// `module-sync` export), Jest's own module system cannot, so they are compiled to CommonJS like our sources, and
// file-type's Node entry is named directly (its exports offer Jest's `require` condition nothing).
const ESM_PACKAGES = ['file-type', 'strtok3', 'token-types', '@tokenizer/inflate', 'uint8array-extras', '@borewit/text-codec'];
const common = {
  transform,
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_PACKAGES.join('|')})/)`],
  moduleNameMapper: { '^file-type$': '<rootDir>/node_modules/file-type/index.js' },
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
};
module.exports = {
  testTimeout: 120000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/apps/**/*.spec.ts', '<rootDir>/workflows/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.spec.ts'],
      globalSetup: '<rootDir>/test/setup/global-setup.ts',
      globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.spec.ts'],
      globalSetup: '<rootDir>/test/setup/global-setup.ts',
      globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
    },
    {
      ...common,
      displayName: 'fuzz',
      testMatch: ['<rootDir>/test/fuzz/**/*.spec.ts'],
      globalSetup: '<rootDir>/test/setup/global-setup.ts',
      globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
    },
  ],
};
