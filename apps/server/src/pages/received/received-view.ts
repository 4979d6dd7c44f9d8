import type { ReceivedRow } from '../../directives/received-directives.service';
import { FILING_STATUS_LABELS } from '../filings/filings-view';

/** Where the branch's 签收 stands: 已签收 (with its time), 待签收 (with its deadline), 逾期, or 无需签收 (废止 before it). */
export function receiptState(r: ReceivedRow['receipt']): { label: string; key: 'done' | 'open' | 'overdue' | 'closed'; at?: Date; dueAt?: Date } {
  if (r.status === 'DONE') return { label: '已签收', key: 'done', at: r.completedAt ?? undefined };
  if (r.status === 'CANCELLED') return { label: '无需签收', key: 'closed' };
  if (r.overdue) return { label: '逾期', key: 'overdue', dueAt: r.dueAt ?? undefined };
  return { label: '待签收', key: 'open', dueAt: r.dueAt ?? undefined };
}

/** One 填报 requirement of a received directive, with where the branch's own filing stands. */
export function filingState(q: ReceivedRow['requirements'][number]) {
  const f = q.filing;
  if (!f) return { title: q.title, label: '尚未下达', key: 'none' };
  const late = f.overdue && (f.status === 'OPEN' || f.status === 'RETURNED');
  return {
    title: q.title,
    href: `/filings/${f.id}`,
    label: `${FILING_STATUS_LABELS[f.status] ?? '填报'}${late ? '（逾期）' : ''}`,
    key: late ? 'overdue' : f.status.toLowerCase(),
    deadlineAt: f.status === 'ACCEPTED' || f.status === 'CLOSED' ? undefined : f.deadlineAt,
  };
}

/** A 收文 row as the page shows it: the directive, 已废止 when revoked, its 签收 and its 填报. */
export function receivedRowView(r: ReceivedRow) {
  return {
    id: r.id,
    title: r.title,
    docNumber: r.docNumber,
    issuedAt: r.issuedAt ?? undefined,
    revoked: r.revoked,
    receipt: receiptState(r.receipt),
    filings: r.requirements.map(filingState),
  };
}
