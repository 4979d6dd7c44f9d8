/** Form definitions for filings: the model, checks of definitions and of branch submissions, and templates. */
export * from './form-definition';
export { validateSubmission, type SubmissionOptions, type SubmissionResult } from './form-values';
export { ANNUAL_WORK_PLAN, RECTIFICATION_REPORT, SEVEN_ACTIONS } from './templates';
export { describeAccept, shanghaiDay } from './shared';
export type { FieldError } from '../../common/errors/domain-error';
