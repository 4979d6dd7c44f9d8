/**
 * Import rules checked by `npm run lint` (dependency-cruiser): the architecture of design.md, enforced.
 * Arrows point down only: apps import workflows' contracts; workflows import nothing from apps; no cycles.
 */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Import cycles make module order matter and hide a missing seam: break them with an interface or a shared module.',
      from: {},
      to: { circular: true, dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'workflows-import-nothing-from-apps',
      severity: 'error',
      comment:
        'Workflow code is bundled into the deterministic sandbox and lives for a year: it may import only @temporalio/workflow and its own definitions and contracts.',
      from: { path: '^workflows/' },
      to: { path: '^(apps|generated|prisma)/' },
    },
    {
      name: 'workflows-only-temporal-workflow',
      severity: 'error',
      comment: 'No other package inside workflow code (no Node built-ins, no Nest, no Prisma).',
      from: { path: '^workflows/', pathNot: '\\.spec\\.ts$' },
      to: { dependencyTypes: ['npm', 'npm-dev', 'npm-optional', 'core'], pathNot: '^node_modules/@temporalio/(workflow|common)/' },
    },
    {
      name: 'server-does-not-import-worker',
      severity: 'error',
      comment: "The worker hosts activities over the server's services, never the other way round.",
      from: { path: '^apps/server/' },
      to: { path: '^apps/worker/' },
    },
    {
      name: 'no-test-code-in-apps',
      severity: 'error',
      from: { path: '^(apps|workflows)/', pathNot: '\\.spec\\.ts$' },
      to: { path: '^test/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|generated|node_modules|\\.data|\\.tools)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
