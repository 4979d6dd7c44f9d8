import { BRANCH_ROLES } from '../auth/roles';
import { hasPermission, permissions } from '../auth/permissions';
import type { Role } from '../prisma/client';

/**
 * Where a task or a notice leads: the page of its subject (the filing, the directive, the round, the case), and the
 * way back to the inbox it was opened from.
 *
 * The way back: a link from the inbox carries `from`, the inbox's own address with its tab and filters. A subject
 * page never echoes `from` as it came: it reads the tab, the category and the directive out of it and builds the
 * /inbox address again from those known values (`backToInbox`), so `from` cannot send anyone anywhere but /inbox.
 */

export type InboxTab = 'todo' | 'overdue' | 'done';
const TAB_VALUES: readonly InboxTab[] = ['todo', 'overdue', 'done'];
const KIND_VALUES = ['APPROVAL', 'RECEIPT', 'FILING', 'INSPECTION', 'BALLOT', 'ACCOUNTABILITY'] as const;
type KindValue = (typeof KIND_VALUES)[number];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface InboxQuery {
  tab: InboxTab;
  kind?: KindValue;
  directiveId?: string;
  after?: string;
}

/** The inbox URL for a tab and filters, so a reload, a tab or 加载更多 keeps what was chosen. */
export function inboxHref(q: InboxQuery): string {
  const p = new URLSearchParams({ tab: q.tab });
  if (q.kind) p.set('kind', q.kind);
  if (q.directiveId) p.set('directiveId', q.directiveId);
  if (q.after) p.set('after', q.after);
  return `/inbox?${p.toString()}`;
}

/** The inbox's tab and filters out of query values; what is not one of the choices is left out. */
export function inboxQueryOf(q: Record<string, unknown>): Omit<InboxQuery, 'after'> {
  const str = (v: unknown) => (typeof v === 'string' ? v : '');
  const tab = TAB_VALUES.find((t) => t === str(q.tab)) ?? 'todo';
  const kind = KIND_VALUES.find((k) => k === str(q.kind));
  const directiveId = UUID.test(str(q.directiveId)) ? str(q.directiveId).toLowerCase() : undefined;
  return { tab, kind, directiveId };
}

/**
 * The 返回待办 address of a page opened from the inbox: `from` must be an /inbox address of this site (a path, no
 * scheme or host); its tab and filters are kept, anything else is dropped. Undefined when the page was not opened
 * from the inbox.
 */
export function backToInbox(from: unknown): string | undefined {
  if (typeof from !== 'string' || !from.startsWith('/inbox') || from.startsWith('//')) return undefined;
  let url: URL;
  try {
    url = new URL(from, 'http://here.invalid');
  } catch {
    return undefined;
  }
  if (url.host !== 'here.invalid' || url.pathname !== '/inbox') return undefined;
  return inboxHref(inboxQueryOf(Object.fromEntries(url.searchParams)));
}

/** `href` with `from` (the inbox address) added to its query, before any #fragment. */
export function withFrom(href: string, from: string | undefined): string {
  if (!from) return href;
  const hash = href.indexOf('#');
  const [path, fragment] = hash < 0 ? [href, ''] : [href.slice(0, hash), href.slice(hash)];
  return `${path}${path.includes('?') ? '&' : '?'}from=${encodeURIComponent(from)}${fragment}`;
}

/** What a task's link needs: its kind, subject, origin and data, and a branch task's filing. */
export interface LinkTask {
  id?: string;
  kind: string;
  subjectId: string;
  directiveId: string | null;
  data: unknown;
  filingId: string | null;
}

/** The page a task opens: the filing (to fill in or review), the directive, the inspector's page, the ballot, the case. */
export function taskHref(t: LinkTask): string | undefined {
  const data = (t.data ?? {}) as { roundId?: string; unitRowId?: string; caseId?: string; review?: boolean };
  switch (t.kind) {
    case 'FILING':
      return data.review === true ? `/filings/${t.subjectId}` : t.filingId ? `/filings/${t.filingId}` : undefined;
    case 'RECEIPT':
    case 'APPROVAL':
      return t.directiveId ? `/directives/${t.directiveId}` : undefined;
    case 'INSPECTION':
      return data.roundId ? `/spot-checks/${data.roundId}/inspect#unit-${data.unitRowId ?? ''}` : undefined;
    case 'BALLOT':
      return data.roundId ? `/reviews/${data.roundId}/ballot` : undefined;
    case 'ACCOUNTABILITY':
      return data.caseId ? `/accountability/cases/${data.caseId}${t.id ? `#task-${t.id}` : ''}` : undefined;
    default:
      return undefined;
  }
}

/** What a notice names as its subject when it has no task (notices.ts NoticeSubject). */
export interface NoticeLinkFields {
  taskId: string | null;
  subjectType: string | null;
  subjectId: string | null;
}

/**
 * The page a notice leads to, for a reader in `role`: its own subject, else its task's page. None when the reader's
 * capacity may not open that kind of page (an objector told of the outcome who does not follow commendation rounds).
 * The pages themselves still check the reader's scope.
 */
export function noticeHref(n: NoticeLinkFields, tasks: Map<string, LinkTask>, role: Role): string | undefined {
  const id = n.subjectId;
  if (n.subjectType && id) {
    switch (n.subjectType) {
      case 'directive':
        return hasPermission(role, permissions.directiveRead) || BRANCH_ROLES.includes(role) ? `/directives/${id}` : undefined;
      case 'filing':
        return `/filings/${id}`;
      case 'review_round':
        return hasPermission(role, permissions.reviewRead) ? `/reviews/${id}` : undefined;
      case 'spot_check_round':
        return hasPermission(role, permissions.spotCheckRead) ? `/spot-checks/${id}` : undefined;
      case 'commendation_round':
        return hasPermission(role, permissions.commendationRead) ? `/commendations/${id}` : undefined;
      case 'accountability_case':
        return hasPermission(role, permissions.accountabilityRead) || hasPermission(role, permissions.accountabilityRespond)
          ? `/accountability/cases/${id}`
          : undefined;
      default:
        return undefined;
    }
  }
  const task = n.taskId ? tasks.get(n.taskId) : undefined;
  return task ? taskHref(task) : undefined;
}
