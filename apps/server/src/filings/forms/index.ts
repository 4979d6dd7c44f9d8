/** Form definitions for filings: the model, checks of definitions and of branch submissions, and templates. */
export * from './form-definition';
export { validateSubmission, type SubmissionOptions, type SubmissionResult } from './form-values';
export { ANNUAL_WORK_PLAN, RECTIFICATION_REPORT, REMEDY_PLAN, SEVEN_ACTIONS, WORK_REPORT } from './templates';
export { describeAccept, shanghaiDay } from './shared';
export type { FieldError } from '../../common/errors/domain-error';
