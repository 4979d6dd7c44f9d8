import { DomainError } from '../common/errors/domain-error';
import type { InboxOptions, InboxTab, TaskKindName } from './tasks.service';

const TABS: InboxTab[] = ['todo', 'overdue', 'done'];
const KINDS: TaskKindName[] = ['APPROVAL', 'RECEIPT', 'FILING', 'INSPECTION', 'BALLOT', 'ACCOUNTABILITY'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The inbox's query string as the API takes it (GET /api/inbox?tab=&kind=&directiveId=&after=&limit=). */
export interface InboxQuery {
  tab?: unknown;
  after?: unknown;
  limit?: unknown;
  directiveId?: unknown;
  kind?: unknown;
}

const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/**
 * Checks the inbox's query and turns it into InboxOptions; a bad value is a 400 naming the field in Chinese.
 * A parameter given twice (an array) is treated as that parameter being wrong. The cursor `after` is checked where
 * it is read (TasksService), since its form belongs to the query.
 */
export function parseInboxQuery(q: InboxQuery): InboxOptions {
  const errors: { field: string; message: string }[] = [];
  const bad = (field: string, message: string) => errors.push({ field, message });
  const [tab, after, limit, directiveId, kind] = [q.tab, q.after, q.limit, q.directiveId, q.kind].map((v) => (Array.isArray(v) ? '\u0000' : text(v)));
  if (tab && !TABS.includes(tab as InboxTab)) bad('tab', '字段 tab 必须是 todo（待办）、overdue（逾期）或 done（已办）');
  if (kind && !KINDS.includes(kind as TaskKindName))
    bad('kind', '字段 kind 必须是 APPROVAL（审批）、RECEIPT（签收）、FILING（填报）、INSPECTION（抽查）、BALLOT（评议）或 ACCOUNTABILITY（问责）');
  if (limit && !/^\d{1,3}$/.test(limit)) bad('limit', '字段 limit 必须是 1 到 100 的整数');
  if (directiveId && !UUID.test(directiveId)) bad('directiveId', '字段 directiveId 必须是有效的编号');
  if (after === '\u0000') bad('after', '字段 after（翻页位置）无效');
  if (errors.length) throw DomainError.validation(errors);
  return {
    tab: tab as InboxTab | undefined,
    after,
    limit: limit ? Number(limit) : undefined,
    directiveId,
    kind: kind as TaskKindName | undefined,
  };
}
