// Every workflow the worker registers. Bundled by scripts/bundle-workflows.js.
export { pingWorkflow } from './ping.workflow';
export { directiveWorkflow } from './directive.workflow';
export { receiptWorkflow } from './receipt.workflow';
export { filingWorkflow } from './filing.workflow';
export { spotCheckRoundWorkflow } from './spot-check.workflow';
