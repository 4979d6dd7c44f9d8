// Every workflow the worker registers. Bundled by scripts/bundle-workflows.js.
export { pingWorkflow } from './system/ping.workflow';
export { directiveWorkflow } from './directive/directive.workflow';
export { receiptWorkflow } from './directive/receipt.workflow';
export { filingWorkflow } from './filing/filing.workflow';
export { spotCheckRoundWorkflow } from './spot-check/spot-check.workflow';
export { reviewRoundWorkflow } from './review/review.workflow';
export { accountabilityCaseWorkflow } from './accountability/accountability.workflow';
export { commendationRoundWorkflow } from './commendation/commendation.workflow';
