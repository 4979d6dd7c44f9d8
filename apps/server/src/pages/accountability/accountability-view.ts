import { DateTime } from 'luxon';
import { CASE_STATUS_LABELS, TALK_KINDS, APPEAL_OUTCOMES } from '../../accountability/case-rules';
import type { CasesService } from '../../accountability/cases.service';
import { ADJUSTMENT_KINDS, describeBar, ORG_MEASURES, PERSON_MEASURES } from '../../accountability/influence';
import type { Actor } from '../../audit/actor';
import { hasPermission, permissions } from '../../auth/permissions';
import { BRANCH_ROLES } from '../../auth/roles';
import { ZONE } from '../../calendar/working-calendar';
import type { FormValues } from './accountability-form';
import { COMMITMENT_ROWS } from './accountability-form';
import type { PersonChoice, TargetChoice } from './accountability-options';

type Detail = Awaited<ReturnType<CasesService['detail']>>;
type Groups = Awaited<ReturnType<CasesService['proposals']>>;
type CaseRow = Awaited<ReturnType<CasesService['list']>>[number];

const when = (d: Date | string | null | undefined) => (d ? DateTime.fromJSDate(new Date(d), { zone: ZONE }).toFormat('yyyy年M月d日 HH:mm') : '');
const day = (s: string | null | undefined) => (s && /^\d{4}-\d{2}-\d{2}$/.test(s) ? DateTime.fromISO(s).toFormat('yyyy年M月d日') : (s ?? ''));
const text = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

const FILING_STATE: Record<string, string> = { OPEN: '未报送', RETURNED: '退回修改后未重新报送' };
const OUTCOME_LABELS: Record<string, string> = { MEASURES: '问责', LIGHTER: '从轻或减轻问责', NONE: '不予问责', TALK: '以谈话方式了结' };
const MEASURE_STATUS: Record<string, string> = { ACTIVE: '执行中', CHANGED: '已因申诉变更', REVOKED: '已因申诉撤销' };
const TASK_STATUS: Record<string, string> = { OPEN: '待办理', DONE: '已办结', CANCELLED: '已取消' };

/** What a proposal's evidence says, line by line in words (each trigger records its own facts), and where its record is. */
export function evidenceOf(p: { trigger: string; sourceType: string; sourceId: string; evidence: unknown }): {
  lines: string[];
  href?: string;
  hrefLabel?: string;
} {
  const e = (p.evidence ?? {}) as Record<string, unknown>;
  const lines: string[] = [];
  const directive = e.directive as { title?: string; docNumber?: string | null } | undefined;
  const requirement = e.requirement as { title?: string } | undefined;
  if (directive?.title) lines.push(`发文：《${directive.title}》${directive.docNumber ? `（${directive.docNumber}）` : ''}`);
  if (requirement?.title) lines.push(`填报事项：${requirement.title}`);
  if (e.rectification) lines.push('督查发现问题的整改报告');
  if (typeof e.deadlineAt === 'string') lines.push(`截止时间：${when(e.deadlineAt)}`);
  if (typeof e.status === 'string' && FILING_STATE[e.status]) lines.push(`逾期时：${FILING_STATE[e.status]}`);
  if (Array.isArray(e.remindersSent))
    lines.push(
      e.remindersSent.length ? `已提醒 ${e.remindersSent.length} 次（${e.remindersSent.map((d) => when(String(d))).join('、')}）` : '截止前未发出提醒',
    );
  if (typeof e.round === 'string') lines.push(`述职评议：${e.round}`);
  if (typeof e.grade === 'string')
    lines.push(
      `评定等次：${e.grade}${typeof e.total === 'number' ? `，总分 ${e.total.toFixed(2)}` : ''}${typeof e.rank === 'number' ? `，第 ${e.rank} 名` : ''}`,
    );
  if (typeof e.notice === 'string') lines.push(`通报：${e.notice}`);
  // Evidence recorded by other means: its title, note and deadline in words.
  if (!lines.length) {
    if (text(e.title)) lines.push(text(e.title));
    if (text(e.note)) lines.push(text(e.note));
    if (text(e.deadline)) lines.push(`截止时间：${text(e.deadline)}`);
    if (typeof e.reminders === 'number') lines.push(`已提醒 ${e.reminders} 次`);
  }
  const href = p.sourceType === 'filing' ? `/filings/${p.sourceId}` : undefined;
  return { lines, href, hrefLabel: href ? (p.trigger === 'OVERDUE_RECTIFICATION' ? '查看整改报告记录' : '查看填报记录') : undefined };
}

/** The committee's 问责 page: pending proposals grouped by target, and the cases. */
export function listView(
  groups: Groups,
  cases: CaseRow[],
  o: { manage: boolean; failed?: { key: string; values: FormValues; errors: Record<string, string> } },
) {
  return {
    groups: groups.map((g) => {
      const failed = o.failed?.key === g.key ? o.failed : undefined;
      const picked = failed ? (failed.values.proposalIds as string[]) : undefined;
      return {
        key: g.key,
        target: g.target.personName ? `${g.target.orgName} ${g.target.personName}` : `${g.target.orgName}（党组织）`,
        repeat: g.repeat,
        earlierCase: g.earlierCase,
        title: failed ? failed.values.title : '',
        errors: failed?.errors ?? {},
        proposals: g.proposals.map((p) => ({
          id: p.id,
          triggerLabel: p.triggerLabel,
          createdAt: p.createdAt,
          checked: picked ? picked.includes(p.id) : true,
          ...evidenceOf(p),
        })),
      };
    }),
    cases: cases.map((c) => ({
      ...c,
      target: c.target.personName ? `${c.target.orgName} ${c.target.personName}` : c.target.orgName,
      ended: c.status === 'CLOSED' || c.status === 'DISMISSED',
    })),
    canOpen: o.manage,
  };
}

/** The manual-opening form with its choices. */
export function openFormView(targets: TargetChoice[], values: FormValues, errors: Record<string, string>) {
  return {
    targets: targets.map((t) => ({ ...t, selected: t.value === values.target })),
    values,
    errors,
  };
}

const checked = (values: FormValues | undefined, field: string, value: string) =>
  Array.isArray(values?.[field]) ? (values[field] as string[]).includes(value) : false;

function measureChoices(person: boolean, values: FormValues | undefined) {
  return {
    measures: (person ? PERSON_MEASURES : ORG_MEASURES).map((k) => ({
      value: k,
      label: k === '移送纪律审查' ? '移送纪律审查（纪律处分）' : k,
      checked: checked(values, 'measures', k),
    })),
    adjustments: ADJUSTMENT_KINDS.map((k) => ({ value: k, selected: values?.adjustment === k })),
    hasAdjustment: person,
  };
}

export interface FormState {
  /** The form that failed, with what was typed and where it went wrong. */
  form?: string;
  values?: FormValues;
  errors?: Record<string, string>;
}

/**
 * The case page. The committee (and the investigation team) see the whole case with the form of every step they may
 * take; the branch concerned sees its own side: the evidence, the decision and its documents, and its tasks (陈述申辩,
 * 签收, 申诉, what the measure asks of it) — each form only for whoever may act on it.
 */
export function caseView(
  d: Detail,
  actor: Actor,
  o: { names: Map<string, string>; people: PersonChoice[]; state: FormState; now?: Date; today: string; committeeName: string },
) {
  const now = o.now ?? new Date();
  const committee = !BRANCH_ROLES.includes(actor.role);
  const can = (p: keyof typeof permissions) => hasPermission(actor.role, permissions[p]);
  const status = d.status;
  const live = status !== 'CLOSED' && status !== 'DISMISSED';
  const person = !!d.target.personId;
  const mine = !d.target.personId || d.target.personId === actor.personId;
  const f = (name: string) =>
    o.state.form === name ? { values: o.state.values ?? {}, errors: o.state.errors ?? {}, failed: true } : { values: {}, errors: {}, failed: false };
  const name = (id: string | null | undefined) => (id ? (o.names.get(id) ?? '') : '');
  const decision = (d.decision ?? null) as {
    meeting?: { name?: string; heldOn?: string; attendees?: string[]; dissent?: string };
    outcome?: string;
    grounds?: string | null;
    facts?: string | null;
    basis?: string | null;
    appealBody?: string;
  } | null;
  const pdf = (documentId: string) => `/api/accountability/cases/${d.id}/documents/${documentId}/pdf`;
  type TaskData = { step?: string; recipient?: string; personId?: string | null; by?: string; what?: string; note?: string; docNumber?: string };
  // A branch sees its own tasks only; the committee all of them.
  const tasks = d.tasks.filter((t) => committee || t.orgId === actor.orgId);
  const task = (t: (typeof d.tasks)[number]) => {
    const data = (t.data ?? {}) as TaskData;
    const open = t.status === 'OPEN' && live;
    const forMe = !data.personId || data.personId === actor.personId;
    return {
      id: t.id,
      title: t.title,
      what: data.what ?? '',
      note: data.note ?? '',
      dueAt: t.dueAt,
      overdue: t.overdue && t.status === 'OPEN',
      completedAt: t.completedAt,
      statusLabel: TASK_STATUS[t.status] ?? '',
      done: t.status === 'DONE',
      recipient: data.recipient === 'PERSON' ? `${d.target.personName}本人` : d.target.orgName,
      byCommittee: data.by === 'COMMITTEE',
      canAck: !committee && open && data.step === 'SERVICE' && forMe && can('accountabilityRespond'),
      canComplete:
        !committee && open && (data.step === 'EXECUTION' || data.step === 'TALK') && data.by !== 'COMMITTEE' && forMe && can('accountabilityRespond'),
      canCarryOut: committee && open && data.step === 'EXECUTION' && data.by === 'COMMITTEE' && can('accountabilityManage'),
      someoneElse: !committee && t.status === 'OPEN' && !forMe,
      noteForm: f(`task:${t.id}`),
      step: data.step,
    };
  };
  const allTasks = tasks.map(task);
  const proposals = d.proposals.map((p) => ({ triggerLabel: p.triggerLabel, createdAt: p.createdAt, ...evidenceOf(p) }));
  const manualEvidence = (Array.isArray(d.evidence) ? (d.evidence as { title?: string; note?: string; files?: { name?: string }[] }[]) : []).map((e) => ({
    title: e.title ?? '',
    note: e.note ?? '',
    files: (e.files ?? []).map((x) => x.name ?? '附件'),
  }));
  const appeal = d.appeal;
  const talkForm = f('talk');
  const teamForm = f('investigation');
  const decisionForm = f('decision');
  const answerForm = f('answer');
  const investigators = d.investigatorIds ?? [];
  const commitmentTexts = (talkForm.values.commitmentText as string[] | undefined) ?? [];
  const commitmentDays = (talkForm.values.commitmentWorkdays as string[] | undefined) ?? [];
  const appealOpen = !!d.servedAt && !!d.appealUntil && new Date(d.appealUntil) > now;
  return {
    c: {
      id: d.id,
      number: d.number,
      title: d.title,
      status,
      statusLabel: CASE_STATUS_LABELS[status],
      target: d.target.personName
        ? `${d.target.orgName} ${d.target.personName}${d.target.post ? `（${d.target.post}）` : ''}`
        : `${d.target.orgName}（党组织）`,
      person,
      repeat: d.repeat,
      repeatOfId: d.repeatOfId,
      sourceLabel: d.source === 'PROPOSAL' ? '由问责建议立案' : '人工立案',
      createdAt: d.createdAt,
      closeReason: d.closeReason,
      closedAt: d.closedAt,
      ended: !live,
      dismissed: status === 'DISMISSED',
      servedAt: d.servedAt,
      appealUntil: d.appealUntil,
    },
    committee,
    proposals,
    manualEvidence,
    hasEvidence: proposals.length + manualEvidence.length > 0,
    talks: d.talks.map((t) => ({
      kind: t.kind,
      heldAt: t.heldAt,
      talkers: t.talkerIds.map(name).filter(Boolean).join('、'),
      minutes: t.minutes,
      commitments: ((t.commitments ?? []) as { text: string; dueAt: string; taskId: string }[]).map((x) => {
        const row = d.tasks.find((k) => k.id === x.taskId);
        return { text: x.text, dueAt: x.dueAt, statusLabel: row ? (TASK_STATUS[row.status] ?? '') : '' };
      }),
    })),
    team: investigators.map(name).filter(Boolean).join('、'),
    findings: d.findings.map((x) => ({ author: name(x.authorId), text: x.text, createdAt: x.createdAt })),
    defence: {
      asked: !!d.defenceAskedAt,
      askedAt: d.defenceAskedAt,
      dueAt: d.defenceDueAt,
      given: !!d.defenceAt,
      at: d.defenceAt,
      by: name(d.defenceById),
      text: d.defence ?? '',
      late: !!d.defenceAt && !!d.defenceDueAt && new Date(d.defenceAt) > new Date(d.defenceDueAt),
      lapsed: !d.defenceAt && !!d.defenceDueAt && new Date(d.defenceDueAt) < now,
    },
    decision: decision
      ? {
          meeting: decision.meeting?.name ?? '',
          heldOn: day(decision.meeting?.heldOn),
          attendees: (decision.meeting?.attendees ?? []).join('、'),
          dissent: decision.meeting?.dissent ?? '',
          outcome: OUTCOME_LABELS[decision.outcome ?? ''] ?? '',
          grounds: decision.grounds ?? '',
          facts: decision.facts ?? '',
          basis: decision.basis ?? '',
          appealBody: decision.appealBody ?? '',
          effectiveOn: day(d.effectiveOn),
          decidedAt: d.decidedAt,
          decidedBy: name(d.decidedById),
        }
      : d.outcome === 'TALK'
        ? { outcome: OUTCOME_LABELS.TALK, grounds: d.closeReason ?? '', talkOnly: true }
        : null,
    measures: d.measures.map((m) => ({
      label: m.detail ? `${m.kind}（${m.detail}）` : m.kind,
      effectiveOn: day(m.effectiveOn),
      statusLabel: MEASURE_STATUS[m.status] ?? '',
      active: m.status === 'ACTIVE',
      bars: describeBar(m),
    })),
    document: d.document ? { ...d.document, href: pdf(d.document.id) } : null,
    appeal: appeal
      ? {
          reason: appeal.reason,
          filedAt: appeal.filedAt,
          filedBy: name(appeal.filedById),
          answerDueAt: appeal.answerDueAt,
          answered: !!appeal.answeredAt,
          outcome: appeal.outcome ?? '',
          answer: appeal.answer ?? '',
          answeredAt: appeal.answeredAt,
          documentHref: appeal.documentId ? pdf(appeal.documentId) : undefined,
        }
      : null,
    service: allTasks.filter((t) => t.step === 'SERVICE'),
    execution: allTasks.filter((t) => t.step === 'EXECUTION' || (!committee && t.step === 'TALK')),
    defenceTask: allTasks.find((t) => t.step === 'DEFENCE'),
    // The forms, each for whoever may act on it now.
    forms: {
      talk: can('accountabilityManage') && live && status !== 'EXECUTING' ? talkForm : null,
      talkKinds: TALK_KINDS.map((k) => ({ value: k, selected: (talkForm.values.kind ?? '约谈') === k })),
      talkers: o.people.map((p) => ({ ...p, checked: talkForm.failed ? checked(talkForm.values, 'talkerIds', p.id) : p.id === actor.personId })),
      heldAt: talkForm.values.heldAt ?? DateTime.now().setZone(ZONE).toFormat("yyyy-MM-dd'T'HH:mm"),
      commitmentRows: Array.from({ length: COMMITMENT_ROWS }, (_, i) => ({ n: i + 1, text: commitmentTexts[i] ?? '', workdays: commitmentDays[i] ?? '' })),
      conclude: can('accountabilityManage') && (status === 'OPEN' || status === 'INVESTIGATING') && d.talks.length > 0 ? f('conclude') : null,
      team: can('accountabilityManage') && (status === 'OPEN' || status === 'INVESTIGATING') ? teamForm : null,
      teamPeople: o.people
        .filter((p) => p.id !== d.target.personId)
        .map((p) => ({ ...p, checked: teamForm.failed ? checked(teamForm.values, 'investigatorIds', p.id) : investigators.includes(p.id) })),
      finding:
        committee && can('accountabilityInvestigate') && investigators.includes(actor.personId) && ['INVESTIGATING', 'DEFENCE', 'DELIBERATING'].includes(status)
          ? f('finding')
          : null,
      askDefence: can('accountabilityManage') && status === 'INVESTIGATING' && d.findings.length > 0 ? f('askDefence') : null,
      decision: can('accountabilityDecide') && status === 'DELIBERATING' ? decisionForm : null,
      decisionMeasures: measureChoices(person, decisionForm.values),
      outcomes: [
        { value: 'MEASURES', label: '问责' },
        { value: 'LIGHTER', label: '从轻或减轻问责（写明理由）' },
        { value: 'NONE', label: '不予问责（写明理由，即结案）' },
      ].map((x) => ({ ...x, checked: (decisionForm.values.outcome ?? 'MEASURES') === x.value })),
      decisionDefaults: {
        meetingName: decisionForm.values.meetingName ?? '',
        heldOn: decisionForm.values.heldOn ?? o.today,
        effectiveOn: decisionForm.values.effectiveOn ?? o.today,
        appealBody: decisionForm.values.appealBody ?? o.committeeName,
        facts: decisionForm.values.facts ?? d.findings.map((x) => x.text).join('\n'),
        basis: decisionForm.values.basis ?? '',
      },
      dismiss: can('accountabilityManage') && ['OPEN', 'INVESTIGATING', 'DEFENCE', 'DELIBERATING'].includes(status) ? f('dismiss') : null,
      answer: can('accountabilityDecide') && status === 'EXECUTING' && !!appeal && !appeal.answeredAt ? answerForm : null,
      answerOutcomes: APPEAL_OUTCOMES.map((x) => ({ value: x, checked: (answerForm.values.outcome ?? '维持') === x })),
      answerMeasures: measureChoices(person, answerForm.values),
      defence: !committee && can('accountabilityRespond') && (status === 'DEFENCE' || status === 'DELIBERATING') && !d.defenceAt && mine ? f('defence') : null,
      appeal: !committee && can('accountabilityRespond') && status === 'EXECUTING' && !!d.documentId && !appeal && mine && appealOpen ? f('appeal') : null,
    },
    // Why the branch's member cannot act where the person concerned must.
    personOnly: !committee && !mine,
    appealNotYet: !committee && status === 'EXECUTING' && !!d.documentId && !d.servedAt,
    appealOver: !!d.appealUntil && new Date(d.appealUntil) <= now,
  };
}
