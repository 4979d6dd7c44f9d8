#!/usr/bin/env node
// Bundles workflows/ once at build time; the worker loads dist/workflow-bundle.js (conventions.md).
const { bundleWorkflowCode } = require('@temporalio/worker');
const fs = require('node:fs');
const path = require('node:path');

async function bundle(outFile = path.resolve(__dirname, '../dist/workflow-bundle.js')) {
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('../workflows/index.ts'),
    logger: { info() {}, warn: console.warn, error: console.error, debug() {}, trace() {}, log() {} },
  });
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  fs.writeFileSync(outFile, code);
  return outFile;
}

module.exports = { bundle };
if (require.main === module) {
  bundle(process.argv[2])
    .then((f) => console.log(`工作流已打包：${path.relative(process.cwd(), f)}`))
    .catch((err) => {
      console.error(err);
      process.exit(1);
    });
}
