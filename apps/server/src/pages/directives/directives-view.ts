import type { Actor } from '../../audit/actor';
import { Role } from '../../prisma/client';
import type { DirectivesService } from '../../directives/directives.service';

import { DIRECTIVE_STATUS_LABELS } from '../../directives/directive-status';
import { FILING_STATUS_LABELS } from '../filings/filings-view';

export { DIRECTIVE_STATUS_LABELS };

export const STEP_STATUS_LABELS: Record<string, string> = {
  WAITING: '未到',
  PENDING: '待办理',
  APPROVED: '同意',
  RETURNED: '退回',
  CANCELLED: '已取消',
};

export const NOTIFICATION_LABELS: Record<string, string> = {
  REMINDER: '提醒',
  RETURNED: '退回',
  REVOKED: '废止',
  OVERDUE: '逾期',
  EXTENSION: '延期',
  RECTIFICATION: '整改',
  REVIEW: '评议',
  ACCOUNTABILITY: '问责',
  COMMENDATION: '表扬',
  URGE: '催办',
  SUBMITTED: '待审核',
};

type Detail = Awaited<ReturnType<DirectivesService['detail']>>;

/** What the directive page shows and which buttons this capacity gets; the workflow still decides. */
export function directiveView(d: Detail, actor: Actor, done = '', startMissing = false) {
  const isDrafter = d.drafterId === actor.personId;
  const myStep = d.steps.find((s) => s.status === 'PENDING' && s.assigneeId === actor.personId);
  const rounds = new Map<number, { round: number; steps: unknown[] }>();
  for (const s of d.steps) {
    if (!rounds.has(s.round)) rounds.set(s.round, { round: s.round, steps: [] });
    rounds.get(s.round)?.steps.push({ ...s, statusLabel: STEP_STATUS_LABELS[s.status], decided: s.status === 'APPROVED' || s.status === 'RETURNED' });
  }
  const lastReturn = [...d.steps].reverse().find((s) => s.status === 'RETURNED');
  // The signer has agreed on the current version and the workflow has not yet signed it (a moment, or longer on a busy
  // worker): the page says so and follows the lifecycle (live.js), instead of still reading 审批中.
  const signAgreed = d.status === 'IN_REVIEW' && d.steps.some((s) => s.stage === 'SIGN' && s.status === 'APPROVED' && s.version === d.version);
  const r = d.receipts;
  // Submitted (审批中 from the submit itself) and the workflow has not yet opened the first round's steps: for a few
  // seconds after 提交审批 the page said 已提交审批 above 尚未提交审批.
  const submitting = d.status === 'IN_REVIEW' && d.steps.length === 0 && !startMissing;
  return {
    directive: d,
    statusLabel: DIRECTIVE_STATUS_LABELS[d.status],
    rounds: [...rounds.values()],
    versions: [...d.versions].reverse().map((v) => ({ ...v, changesText: (v.changes as string[]).join('、') || '无内容变化' })),
    lastReturn: d.status === 'RETURNED' ? lastReturn : undefined,
    myStep: myStep && d.status === 'IN_REVIEW' ? { ...myStep } : undefined,
    can: {
      edit: isDrafter && (d.status === 'DRAFT' || d.status === 'RETURNED'),
      submit: isDrafter && ((d.status === 'DRAFT' && done !== 'submitted') || startMissing),
      resubmit: isDrafter && d.status === 'RETURNED',
      withdraw: isDrafter && (d.status === 'DRAFT' || d.status === 'IN_REVIEW' || d.status === 'RETURNED'),
      revoke: actor.role === Role.COMMITTEE_SECRETARY && d.status === 'ISSUED',
    },
    // The workflow moves on after the person's action returns: the page reloads itself until it has.
    submitting,
    // Submitted, but the approval workflow never started (Temporal unreachable at the time): submit again.
    startMissing,
    settling: (done === 'submitted' && (d.status === 'RETURNED' || submitting)) || d.status === 'SIGNED' || signAgreed,
    signAgreed,
    // A branch it was sent to reads the document, its receipt and its own filings only.
    recipient: d.recipient,
    receipt: d.receipt ? { ...d.receipt, open: d.receipt.status === 'OPEN' } : undefined,
    requirements: d.requirements.map((r) => ({
      ...r,
      summaryHref: d.recipient ? undefined : `/requirements/${r.id}/filings`,
      filingHref: r.filing ? `/filings/${r.filing.id}` : undefined,
      filingStatus: r.filing ? FILING_STATUS_LABELS[r.filing.status] : undefined,
    })),
    issued: d.status === 'ISSUED' || d.status === 'REVOKED',
    showReceipts: !d.recipient && (d.status === 'SIGNED' || d.status === 'ISSUED' || d.status === 'REVOKED'),
    receiptPercent: r.expected ? Math.round((r.acknowledged / r.expected) * 100) : 0,
  };
}
