import type { Actor } from '../../audit/actor';
import { hasPermission } from '../../auth/permissions';
import type { BallotsService } from '../../reviews/ballots.service';
import type { DailyAssessment } from '../../reviews/daily-assessment';
import { BALLOT_KIND_LABELS, GRADE_LABELS, GRADE_ORDER, type FormulaSettings, type GradeKey, type SubjectResult } from '../../reviews/formula/formula';
import type { FrozenResults } from '../../reviews/review-results';
import type { ReviewReportsService } from '../../reviews/review-reports.service';
import type { ReviewsService } from '../../reviews/reviews.service';
import { DAILY_LABELS, groupKindLabel, SELF_GROUP_LABEL } from '../../reviews/rubric';
import { FILING_STATUS_LABELS } from '../filings/filings-view';
import { ANCHOR_FIELDS, THRESHOLD_GRADES, type BallotLine, type ReviewForm, type SheetProblem } from './reviews-form';
import type { BranchChoice, EvaluatorChoice } from './reviews-options';

type Detail = Awaited<ReturnType<ReviewsService['detail']>>;
type Daily = Awaited<ReturnType<ReviewReportsService['daily']>>;
type Sheet = Awaited<ReturnType<BallotsService['sheet']>>;
type ListRow = Awaited<ReturnType<ReviewsService['list']>>[number];

const fixed = (n: number | null | undefined) => (n === null || n === undefined ? '—' : n.toFixed(2));
const percent = (n: number | null | undefined) => (n === null || n === undefined ? '—' : `${n}%`);
const KIND_CHOICES = [...Object.entries(BALLOT_KIND_LABELS).map(([value, label]) => ({ value, label })), { value: 'SELF', label: SELF_GROUP_LABEL }];

/** 述职评议 rounds, newest year first. */
export function listView(rows: ListRow[]) {
  return rows.map((r) => ({ ...r, started: r.status !== 'DRAFT' }));
}

/** The round form with its choices: branches (checked or not), each 评议人's group, the grades of the anchors and bounds. */
export function roundFormView(form: ReviewForm, o: { branches: BranchChoice[]; evaluators: EvaluatorChoice[] }, errors: Record<string, string>) {
  const groups = form.groups.length ? form.groups : [{ key: '', name: '', weight: '', ballotKind: 'GRADE' }];
  const items = form.items.length
    ? form.items
    : [{ key: '', name: '', weight: '', max: '', measure: '', anchors: { GOOD: '', FAIRLY_GOOD: '', AVERAGE: '', POOR: '' } }];
  const anchorRows = (anchors: Record<GradeKey, string>) => GRADE_ORDER.map((g) => ({ field: ANCHOR_FIELDS[g], label: GRADE_LABELS[g], value: anchors[g] }));
  return {
    form,
    groups: groups.map((g) => ({ ...g, kinds: KIND_CHOICES.map((k) => ({ ...k, selected: k.value === g.ballotKind })) })),
    items: items.map((i) => ({ ...i, anchorRows: anchorRows(i.anchors), hasAnchorError: !!i.error && /说明/.test(i.error) })),
    blankItemAnchors: anchorRows({ GOOD: '', FAIRLY_GOOD: '', AVERAGE: '', POOR: '' }),
    blankGroupKinds: KIND_CHOICES.map((k) => ({ ...k, selected: k.value === 'GRADE' })),
    branches: o.branches.map((b) => ({
      ...b,
      indent: '　'.repeat(Math.max(0, b.depth - 1)),
      checked: form.subjectOrgIds.includes(b.id),
    })),
    evaluators: o.evaluators.map((e) => ({
      ...e,
      field: `rater.${e.personId}`,
      choices: [
        { value: '', label: '不参加', selected: !form.raters[e.personId] },
        ...groups
          .filter((g) => g.key && g.ballotKind !== 'SELF')
          .map((g) => ({ value: g.key, label: g.name || '（未命名评分组）', selected: form.raters[e.personId] === g.key })),
      ],
    })),
    gradePoints: GRADE_ORDER.map((g) => ({ field: `points.${g}`, label: GRADE_LABELS[g], value: form.settings.gradePoints[g] })),
    thresholds: THRESHOLD_GRADES.map((g) => ({ field: `threshold.${g}`, label: GRADE_LABELS[g], value: form.settings.thresholds[g] })),
    lowestGrade: GRADE_LABELS[GRADE_ORDER[GRADE_ORDER.length - 1]],
    daily: (Object.keys(DAILY_LABELS) as (keyof typeof DAILY_LABELS)[]).map((k) => ({
      field: `daily.${k}`,
      label: DAILY_LABELS[k],
      value: form.dailyWeights[k],
    })),
    settingsOpen: !!errors.settings,
    errors,
  };
}

/** One branch's 日常考核 figures with the records behind them (a score only once scoring has closed). */
function dailyView(d: DailyAssessment | undefined, showScore: boolean) {
  if (!d) return { figures: [], score: '—', hasRecords: false };
  return {
    figures: d.figures.map((f) => ({
      label: f.label ?? DAILY_LABELS[f.key],
      weight: f.weight,
      count: f.total ? `${f.good}/${f.total}` : '无记录',
      rate: percent(f.rate),
      evidence: f.evidence.map((e) => ({ label: e.label, href: e.href, good: e.good })),
    })),
    score: showScore ? fixed(d.score) : undefined,
    hasRecords: d.figures.some((f) => f.total > 0),
  };
}

function gradeLabel(g: GradeKey | null): string {
  return g ? GRADE_LABELS[g] : '未评定';
}

/** A result row: each group's mean or why it has none, the parts of the total, the grade, and the notes that explain it. */
function resultRow(r: SubjectResult, all: SubjectResult[], groupNames: Map<string, string>, minToShow: number) {
  const notes: string[] = [];
  if (r.tiedWith.length) {
    const others = r.tiedWith.map((id) => all.find((x) => x.subjectId === id)?.name ?? '').filter(Boolean);
    notes.push(`与${others.join('、')}并列第 ${r.rank} 名`);
  }
  if (r.cappedFrom && r.grade)
    notes.push(`按得分应为“${GRADE_LABELS[r.cappedFrom]}”，因${r.capReason ?? '本年度受到问责处理'}，评为“${GRADE_LABELS[r.grade]}”`);
  if (r.missingGroups.length && r.total !== null)
    notes.push(`${r.missingGroups.map((k) => groupNames.get(k) ?? '').join('、')}无有效票，不计入评议得分（不按零分计）`);
  if (r.total === null) notes.push('没有有效票，不排名、不评定等次');
  else if (r.daily === null) notes.push('没有日常考核记录，总分按评议得分计');
  return {
    subjectId: r.subjectId,
    rank: r.rank ?? '—',
    tied: r.tiedWith.length > 0,
    name: r.name,
    orgName: r.orgName ?? '',
    groups: r.groups.map((g) => ({
      name: g.name,
      text: g.valid === 0 ? '无有效票' : g.shown ? fixed(g.mean) : '票数不足',
      short: g.valid > 0 && !g.shown,
      votes: g.valid
        ? `有效 ${g.valid} 票${g.abstentions ? `，弃权 ${g.abstentions}` : ''}${g.trimmed ? '，去掉最高最低' : ''}`
        : g.abstentions
          ? `弃权 ${g.abstentions}`
          : '',
      minToShow,
    })),
    ballotPart: fixed(r.ballotPart),
    daily: r.daily === null ? '无记录' : fixed(r.daily),
    total: r.total === null ? '无有效票' : fixed(r.total),
    grade: gradeLabel(r.grade),
    gradeKey: r.grade ?? 'NONE',
    capped: !!r.cappedFrom,
    notes,
    items: r.items.map((i) => ({ name: i.name, mean: fixed(i.mean) })),
  };
}

function resultsView(frozen: FrozenResults, d: Detail) {
  const settings = d.settings as FormulaSettings;
  const groupNames = new Map(d.groups.map((g) => [g.key, g.name]));
  const rows = frozen.results.map((r) => resultRow(r, frozen.results, groupNames, settings.minBallotsToShow));
  const grades = [...GRADE_ORDER.map((g) => ({ key: g as string, label: GRADE_LABELS[g] })), { key: 'NONE', label: '未评定' }].map((g) => ({
    ...g,
    count: rows.filter((r) => r.gradeKey === g.key).length,
  }));
  const distribution = grades.filter((g) => g.key !== 'NONE' || g.count > 0);
  return {
    computedAt: frozen.computedAt,
    label: frozen.label,
    groups: d.groups.map((g) => ({ name: g.name, weight: g.weight })),
    items: d.items.map((i) => ({ name: i.name, max: i.max })),
    hasItems: rows.some((r) => r.items.some((x) => x.mean !== '—')),
    rows,
    counts: frozen.counts.map((c) => ({ ...c, ok: c.expected === c.ballots })),
    countsOk: frozen.counts.every((c) => c.expected === c.ballots),
    distribution,
    chartJson: JSON.stringify({ labels: distribution.map((g) => g.label), values: distribution.map((g) => g.count) }),
    settings: {
      trimAtLeast: settings.trimAtLeast,
      minBallotsToShow: settings.minBallotsToShow,
      dailyWeight: settings.dailyWeight,
      thresholds: settings.thresholds.map((t) => `“${GRADE_LABELS[t.grade]}”${t.min} 分及以上`).join('，'),
    },
    anyCapped: rows.some((r) => r.capped),
  };
}

/** The round page: settings, reports, who has voted (never what), 日常考核, and the results once scoring has closed. */
export function detailView(d: Detail, daily: Daily | undefined, actor: Actor) {
  const manage = hasPermission(actor.role, 'review.manage');
  const closed = d.status === 'CLOSED' || d.status === 'PUBLISHED';
  const frozen = closed ? (d.results as FrozenResults | null) : null;
  const settings = d.settings as FormulaSettings;
  // Once closed, the figures the results were computed with; before, the record as it stands.
  const byOrg = new Map<string, DailyAssessment>(frozen ? Object.entries(frozen.daily) : (daily?.orgs ?? []).map((o) => [o.orgId, o]));
  return {
    round: {
      id: d.id,
      title: d.title,
      year: d.year,
      status: d.status,
      statusLabel: d.statusLabel,
      reportDueAt: d.reportDueAt,
      scoringEndsAt: d.scoringEndsAt,
      reportWorkdays: d.reportWorkdays,
      scoringWorkdays: d.scoringWorkdays,
      formulaLabel: `计分公式：${d.formula.label}`,
      draft: d.status === 'DRAFT',
      reporting: d.status === 'REPORTING',
      scoring: d.status === 'SCORING',
      published: d.status === 'PUBLISHED',
    },
    closed,
    canEdit: manage && d.status === 'DRAFT',
    canStart: manage && d.status === 'DRAFT',
    canPublish: hasPermission(actor.role, 'review.publish') && d.status === 'CLOSED',
    groups: d.groups.map((g) => ({ name: g.name, weight: g.weight, kindLabel: groupKindLabel(g) })),
    items: d.items.map((i, n) => ({
      n: n + 1,
      name: i.name,
      weight: i.weight,
      max: i.max,
      measure: i.measure,
      anchors: GRADE_ORDER.map((g) => ({ label: GRADE_LABELS[g], text: i.anchors?.[g] ?? '' })),
    })),
    // Not `settings`: that name is Express's own in the render locals.
    scoring: {
      trimAtLeast: settings.trimAtLeast,
      minBallotsToShow: settings.minBallotsToShow,
      dailyWeight: settings.dailyWeight,
      topGradeCapPercent: settings.topGradeCapPercent,
      gradePoints: GRADE_ORDER.map((g) => `${GRADE_LABELS[g]} ${settings.gradePoints[g]} 分`).join('、'),
      thresholds: settings.thresholds.map((t) => `“${GRADE_LABELS[t.grade]}”${t.min} 分及以上`).join('，'),
      lowest: GRADE_LABELS[GRADE_ORDER[GRADE_ORDER.length - 1]],
    },
    dailyWeights: (Object.keys(DAILY_LABELS) as (keyof typeof DAILY_LABELS)[]).map((k) => `${DAILY_LABELS[k]} ${d.dailyWeights[k]}%`).join('、'),
    subjects: d.subjects.map((s) => ({
      ...s,
      report: s.report ? { ...s.report, statusLabel: FILING_STATUS_LABELS[s.report.status] ?? '' } : null,
      remedy: s.remedy ? { ...s.remedy, statusLabel: FILING_STATUS_LABELS[s.remedy.status] ?? '' } : null,
      daily: dailyView(byOrg.get(s.orgId), closed),
    })),
    roster: d.roster.map((g) => ({
      name: g.name,
      weight: g.weight,
      kindLabel: groupKindLabel(g),
      self: !!g.self,
      voted: g.voted,
      total: g.raters.length,
      raters: g.raters.map((r) => ({ name: r.name, voted: r.voted })),
    })),
    votedTotal: d.roster.reduce((a, g) => a + g.voted, 0),
    ratersTotal: d.roster.reduce((a, g) => a + g.raters.length, 0),
    requirementId: d.requirementId,
    results: frozen ? resultsView(frozen, d) : undefined,
    document: d.document,
  };
}

/** The rater's sheet: one card per secretary with their report, the grade or the item scores, 弃权. */
export function ballotView(
  sheet: Sheet,
  o: {
    lines: Record<string, BallotLine>;
    problems: SheetProblem[];
    thresholds: FormulaSettings['thresholds'];
    /** What was asked: a 暂存 keeps what it can, a 投票 casts all or nothing. */
    asked?: 'draft' | 'cast';
    saved?: number;
    now?: Date;
  },
) {
  const now = o.now ?? new Date();
  const r = sheet.round;
  const ended = r.status === 'CLOSED' || r.status === 'PUBLISHED' || r.status === 'CANCELLED' || (!!r.scoringEndsAt && new Date(r.scoringEndsAt) <= now);
  const state = sheet.votedAt ? 'voted' : r.status === 'DRAFT' || r.status === 'REPORTING' ? 'notOpen' : ended || !sheet.open ? 'ended' : 'open';
  const isGrade = sheet.group.ballotKind === 'GRADE';
  const goodMin = o.thresholds.find((t) => t.grade === 'GOOD')?.min;
  const files = (v: unknown) =>
    (Array.isArray(v) ? (v as { name?: string; sha256?: string; size?: number }[]) : [])
      .filter((f) => f && typeof f.sha256 === 'string')
      .map((f) => ({
        name: f.name ?? '附件',
        href: `/api/reviews/${r.id}/ballot/files/${f.sha256}`,
        size: f.size ? `${Math.max(1, Math.round(f.size / 1024))} KB` : '',
      }));
  const text = (v: unknown) => (typeof v === 'string' ? v : '');
  return {
    round: r,
    group: { name: sheet.group.name, kindLabel: sheet.group.ballotKindLabel },
    isGrade,
    state,
    open: state === 'open',
    voted: state === 'voted',
    notOpen: state === 'notOpen',
    ended: state === 'ended',
    votedAt: sheet.votedAt,
    draftSavedAt: sheet.draftSavedAt,
    cap: {
      count: sheet.topGrade.cap,
      percent: sheet.topGrade.percent,
      text: isGrade
        ? `评为“${sheet.topGrade.label}”的最多 ${sheet.topGrade.cap} 人`
        : `合计${goodMin === undefined ? '达到“好”等次分数线' : `达到 ${goodMin} 分（“${sheet.topGrade.label}”）`}的最多 ${sheet.topGrade.cap} 人`,
    },
    goodMin,
    items: sheet.items.map((i) => ({ key: i.key, name: i.name, max: i.max, weight: i.weight })),
    excluded: sheet.excluded,
    problems: o.problems.map((p) => p.message),
    problemsTitle: o.asked === 'draft' ? '以下内容未能暂存，请修改：' : '选票未投出，请修改：',
    saved: o.saved,
    subjects: sheet.subjects.map((s, n) => {
      const line = o.lines[s.id] ?? { grade: '', items: {}, abstain: false, reason: '' };
      const report = s.report as { values: Record<string, unknown>; submittedAt: Date; version: number } | null;
      return {
        id: s.id,
        n: n + 1,
        name: s.name,
        orgName: s.orgName,
        post: s.post,
        report: report
          ? {
              results: text(report.values.results),
              problems: text(report.values.problems),
              measures: text(report.values.measures),
              attachments: files(report.values.attachments),
              submittedAt: report.submittedAt,
              version: report.version,
            }
          : null,
        grades: sheet.grades.map((g) => ({ value: g.value, label: g.label, checked: line.grade === g.value })),
        items: sheet.items.map((i) => ({
          key: i.key,
          name: i.name,
          max: i.max,
          weight: i.weight,
          value: line.items[i.key] ?? '',
          anchors: GRADE_ORDER.map((g) => ({ label: GRADE_LABELS[g], text: i.anchors?.[g] ?? '' })).filter((a) => a.text),
        })),
        abstain: line.abstain,
        reason: line.reason,
        problems: o.problems.filter((p) => p.subjectIds.includes(s.id)).map((p) => p.message),
      };
    }),
  };
}
