import type { Actor } from '../../audit/actor';
import { hasPermission, permissions } from '../../auth/permissions';
import { gradeLabel, type CategoryConfig } from '../../commendations/commendation-config';
import type { CommendationsService } from '../../commendations/commendations.service';
import type { EligibilityReason } from '../../commendations/eligibility';
import { cnDate } from '../../commendations/notice-period';
import type { NomineeRecord } from '../../commendations/nominee-record';
import { BAR_CHOICES, GRADE_CHOICES, type RoundForm, type Values } from './commendations-form';

type Detail = Awaited<ReturnType<CommendationsService['detail']>>;
type Choices = Awaited<ReturnType<CommendationsService['nomineeChoices']>>;
type Listed = Awaited<ReturnType<CommendationsService['list']>>;

export const TARGET_LABELS: Record<string, string> = { PERSON: '担任职务的个人', ORG: '支部' };
const quotaText = (c: CategoryConfig) => `${c.name} × ${c.quota}${c.target === 'ORG' ? ' 个支部' : ' 名'}${c.post ? `（限${c.post}）` : ''}`;

export function listView(rounds: Listed) {
  return rounds.map((r) => ({
    ...r,
    categoriesText: r.categories.map(quotaText).join('；'),
  }));
}

export function roundFormView(form: RoundForm, errors: Record<string, string>) {
  return {
    form,
    errors,
    grades: GRADE_CHOICES.map((g) => ({ ...g, selected: g.value === form.minGrade })),
    bars: BAR_CHOICES.map((b) => ({ ...b, checked: form.localBars.includes(b.value) })),
    rows: form.categories.map((c) => ({
      ...c,
      targets: Object.entries(TARGET_LABELS).map(([value, label]) => ({ value, label, selected: value === c.target })),
    })),
    blankTargets: Object.entries(TARGET_LABELS).map(([value, label]) => ({ value, label, selected: value === 'PERSON' })),
  };
}

/** Which form was sent and came back refused, with what was typed and the problems by field. */
export interface FormState {
  form: string;
  /** The object the form is about (a category's key, an objection's id). */
  key?: string;
  values: Values;
  errors: Record<string, string>;
}

const valueOf = (state: FormState | undefined, form: string, key: string | undefined, field: string): string | string[] | undefined =>
  state && state.form === form && state.key === key ? state.values[field] : undefined;
const errorsOf = (state: FormState | undefined, form: string, key?: string) => (state && state.form === form && state.key === key ? state.errors : {});

function recordView(e: NomineeRecord | null) {
  if (!e) return null;
  return {
    figures: e.figures.map((f) => ({
      label: f.label,
      text: f.total ? `${f.good}/${f.total}${f.rate === null ? '' : `（${f.rate}%）`}` : '本年度无记录',
      evidence: f.evidence.slice(0, 5),
      more: Math.max(0, f.evidence.length - 5),
    })),
    review: e.review,
    commendations: e.commendations,
  };
}

/** An objection's evidence as links to open each file (GET /api/files/:sha256), with its size when known. */
function evidenceLinks(files: unknown) {
  return (Array.isArray(files) ? (files as { sha256?: unknown; name?: unknown }[]) : [])
    .filter((f) => typeof f.sha256 === 'string' && /^[0-9a-f]{64}$/.test(f.sha256))
    .map((f) => ({ href: `/api/files/${f.sha256 as string}`, name: typeof f.name === 'string' && f.name ? f.name : '证据材料' }));
}

/** The evidence a refused send had stored, carried back as JSON references so it need not be chosen again. */
export function keptFiles(v: string | string[] | undefined) {
  const out: { ref: string; name: string; kb: number; href: string }[] = [];
  for (const x of Array.isArray(v) ? v : v ? [v] : []) {
    try {
      const r = JSON.parse(x) as { name?: unknown; size?: unknown; sha256?: unknown };
      if (typeof r.sha256 === 'string' && /^[0-9a-f]{64}$/.test(r.sha256) && typeof r.name === 'string')
        out.push({ ref: x, name: r.name, kb: Math.max(1, Math.round(Number(r.size) / 1024) || 1), href: `/api/files/${r.sha256}` });
    } catch {
      // not a reference: not kept
    }
  }
  return out;
}

export function detailView(d: Detail, round: { orgId: string }, actor: Actor, choices: Choices, state?: FormState, today?: string) {
  const committee = actor.orgId === round.orgId;
  const manager = committee && hasPermission(actor.role, permissions.commendationManage);
  const secretary = committee && hasPermission(actor.role, permissions.commendationDecide);
  const nominating = d.status === 'NOMINATING' && !!d.nominationDueAt && new Date(d.nominationDueAt).getTime() > Date.now();
  const canNominate =
    nominating && (manager || hasPermission(actor.role, permissions.commendationNominate)) && (choices.people.length > 0 || choices.orgs.length > 0);
  const approval = d.approval as { meeting: string; heldOn: string; approved: { key: string; nomineeIds: string[] }[] } | null;
  const vacancies = ((d as { vacancies?: unknown }).vacancies ?? []) as { categoryKey: string; reason: string }[];
  const names = new Map(d.nominees.map((n) => [n.id, n.name]));
  const byId = new Map(d.nominees.map((n) => [n.id, n]));
  // The committee's list as it stands: one it approved and an upheld objection (or the re-check) took out is marked, and
  // whoever took the place since is shown as 递补, so the line never contradicts the nominees below it.
  const approvedList = (key: string, ids: string[]) => [
    ...ids.flatMap((id) => {
      const n = byId.get(id);
      return n ? [n.status === 'REMOVED' || n.status === 'INELIGIBLE' ? `${n.name}（已取消）` : n.name] : [];
    }),
    ...d.nominees
      .filter((n) => n.categoryKey === key && !ids.includes(n.id) && ['APPROVED', 'NOTICE', 'COMMENDED'].includes(n.status))
      .map((n) => `${n.name}（递补）`),
  ];
  const runningNotices = d.notices.filter((n) => !n.ended);
  const openObjections = d.objections.filter((o) => o.status === 'OPEN');

  const categories = d.categories.map((c) => {
    const nominees = d.nominees
      .filter((n) => n.categoryKey === c.key)
      .sort((a, b) => (a.rank ?? 9_999) - (b.rank ?? 9_999))
      .map((n) => {
        const el = n.eligibility as { eligible: boolean; stage: string; day: string; reasons: EligibilityReason[]; notes: string[] } | null;
        const rankValue = valueOf(state, 'rank', c.key, `rank_${n.id}`);
        const ticked = valueOf(state, 'approve', undefined, `approve_${c.key}`);
        return {
          ...n,
          evidence: recordView(n.evidence as NomineeRecord | null),
          eligibility: el ? { eligible: el.eligible, checked: `${el.stage}时（${cnDate(el.day)}）核查`, reasons: el.reasons, notes: el.notes } : null,
          statusClass: n.status,
          rankField: `rank_${n.id}`,
          rankValue: typeof rankValue === 'string' ? rankValue : n.rank ? String(n.rank) : '',
          rankError: errorsOf(state, 'rank', c.key)[`rank_${n.id}`],
          rankable: n.status !== 'INELIGIBLE',
          approveChecked: ticked !== undefined ? [ticked].flat().includes(n.id) : n.rank !== null && n.rank <= c.quota,
        };
      });
    const approvedIds = approval?.approved.find((a) => a.key === c.key)?.nomineeIds ?? [];
    return {
      ...c,
      targetLabel: TARGET_LABELS[c.target],
      quotaText: quotaText(c),
      nominees,
      rankable: nominees.filter((n) => n.rankable),
      rankErrors: errorsOf(state, 'rank', c.key),
      approvedNames: approval ? approvedList(c.key, approvedIds) : [],
      vacancies: vacancies.filter((v) => v.categoryKey === c.key),
    };
  });

  const nominationErrors = errorsOf(state, 'nominate');
  const nominationValue = (f: string) => {
    const v = valueOf(state, 'nominate', undefined, f);
    return typeof v === 'string' ? v : '';
  };
  const targetValue = nominationValue('target');
  const personCats = d.categories.filter((c) => c.target === 'PERSON');
  const orgCats = d.categories.filter((c) => c.target === 'ORG');

  const approveValue = (f: string) => {
    const v = valueOf(state, 'approve', undefined, f);
    return typeof v === 'string' ? v : undefined;
  };
  const decideValue = (f: string) => {
    const v = valueOf(state, 'decide', undefined, f);
    return typeof v === 'string' ? v : undefined;
  };

  return {
    round: {
      ...d,
      draft: d.status === 'DRAFT',
      categoriesText: d.categories.map(quotaText).join('；'),
      localBarsText: d.localBars.length ? d.localBars.map((b) => `“不得${b}”的影响期内不得评优`).join('；') : '无',
    },
    committee,
    manager,
    canStart: manager && d.status === 'DRAFT',
    canNominate,
    nominationClosed: d.status === 'NOMINATING' && !nominating,
    nomination: {
      errors: nominationErrors,
      reason: nominationValue('reason'),
      categories: d.categories.map((c) => ({ key: c.key, label: quotaText(c), selected: nominationValue('categoryKey') === c.key })),
      people: personCats.length
        ? choices.people.map((p) => ({
            value: `p:${p.personId}:${p.orgId}`,
            label: `${p.name}（${p.orgName}${p.posts.length ? ` · ${p.posts.join('、')}` : ''}）`,
            selected: targetValue === `p:${p.personId}:${p.orgId}`,
          }))
        : [],
      orgs: orgCats.length ? choices.orgs.map((o) => ({ value: `o:${o.id}`, label: o.name, selected: targetValue === `o:${o.id}` })) : [],
      own: !manager,
    },
    categories,
    anyNominee: d.nominees.length > 0,
    canRank: manager && d.status === 'SELECTING' && !approval,
    canApprove: secretary && d.status === 'SELECTING' && !approval,
    waitingRanking: d.status === 'SELECTING' && !approval && d.nominees.some((n) => n.status !== 'INELIGIBLE' && n.rank === null),
    approve: {
      errors: errorsOf(state, 'approve'),
      meeting: approveValue('meeting') ?? '',
      heldOn: approveValue('heldOn') ?? today ?? '',
    },
    approval: approval ? { meeting: approval.meeting, heldOn: cnDate(approval.heldOn) } : null,
    canNotice: manager && d.status === 'SELECTING' && !!approval,
    notices: d.notices.map((n) => ({
      ...n,
      period: `${cnDate(n.startsOn)}至${cnDate(n.endsOn)}`,
      endsOnText: cnDate(n.endsOn),
      names: n.nomineeIds.map((id) => names.get(id) ?? '').join('、'),
      replacement: n.seq > 1,
    })),
    objections: d.objections.map((o) => {
      const v = (f: string) => {
        const x = valueOf(state, 'resolve', o.id, f);
        return typeof x === 'string' ? x : '';
      };
      return {
        ...o,
        nomineeName: names.get(o.nomineeId) ?? '',
        channelLabel: o.channel === 'PHONE' ? '电话' : o.channel === 'LETTER' ? '信件' : '网页',
        receivedText: cnDate(o.receivedOn),
        statusLabel: o.status === 'OPEN' ? '待核查' : o.status === 'UPHELD' ? '异议成立' : '异议不成立',
        open: o.status === 'OPEN',
        canResolve: manager && o.status === 'OPEN' && d.status === 'NOTICE',
        errors: errorsOf(state, 'resolve', o.id),
        upheldYes: v('upheld') === 'yes',
        upheldNo: v('upheld') === 'no',
        findingValue: v('finding'),
        evidence: evidenceLinks(o.files),
        // Recorded from a call or letter without the objector's account: 党建办 tells them and records it.
        mustTell: manager && o.status !== 'OPEN' && !o.toldAt && o.channel !== 'PAGE' && !o.objectorId,
        tellBy: o.objectorPhone ? `电话 ${o.objectorPhone}` : o.channel === 'LETTER' ? '回信' : '电话',
        toldText: o.status !== 'OPEN' && o.toldAt ? (o.channel === 'PAGE' || o.objectorId ? '处理结果已通过系统告知异议人' : '处理结果已告知异议人') : null,
      };
    }),
    canRecord: manager && d.status === 'NOTICE' && d.nominees.some((n) => n.status === 'NOTICE'),
    record: (() => {
      const v = (f: string) => {
        const x = valueOf(state, 'record', undefined, f);
        return typeof x === 'string' ? x : '';
      };
      return {
        errors: errorsOf(state, 'record'),
        nominees: d.nominees.filter((n) => n.status === 'NOTICE').map((n) => ({ id: n.id, name: n.name, selected: v('nomineeId') === n.id })),
        letter: v('channel') === 'LETTER',
        objectorName: v('objectorName'),
        // The objector's own account, when they have one: the outcome then reaches them in the system.
        people: [...new Map(choices.people.map((p) => [p.personId, p])).values()].map((p) => ({
          id: p.personId,
          label: `${p.name}（${p.orgName}）`,
          selected: v('objectorId') === p.personId,
        })),
        objectorPhone: v('objectorPhone'),
        receivedOn: v('receivedOn') || (today ?? ''),
        text: v('text'),
        kept: keptFiles(valueOf(state, 'record', undefined, 'keptFiles')),
      };
    })(),
    canDecide: secretary && d.status === 'NOTICE',
    decideBlocked: runningNotices.length
      ? `公示期至${cnDate(
          runningNotices
            .map((n) => n.endsOn)
            .sort()
            .at(-1) as string,
        )}结束，期满后才能签发`
      : openObjections.length
        ? `还有 ${openObjections.length} 件异议未处理，处理完毕后才能签发`
        : null,
    decide: {
      errors: errorsOf(state, 'decide'),
      isDecision: decideValue('kind') === '决定',
      approvalRef: decideValue('approvalRef') ?? '',
    },
    decided: d.status === 'DECIDED' && d.document ? { ...d.document, kind: d.decisionKind, approvalRef: d.approvalRef } : null,
    vacancies: vacancies.map((v) => ({ ...v, category: d.categories.find((c) => c.key === v.categoryKey)?.name ?? '' })),
    minGradeLabel: gradeLabel(d.minGrade),
  };
}
