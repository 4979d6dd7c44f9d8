import type { Directive } from '../prisma/client';

/** A directive's status as people read it (list filters, pages, error messages). */
export const DIRECTIVE_STATUS_LABELS: Record<Directive['status'], string> = {
  DRAFT: '起草中',
  IN_REVIEW: '审批中',
  RETURNED: '退回修改',
  SIGNED: '已签发',
  ISSUED: '已印发',
  WITHDRAWN: '已撤回',
  REVOKED: '已废止',
};
