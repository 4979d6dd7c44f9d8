import type { Actor } from '../../audit/actor';
import { Role } from '../../prisma/client';
import { ChecklistItem, EVIDENCE_LABELS } from '../../spot-checks/checklist';
import type { StoredPhoto } from '../../spot-checks/findings.service';
import { draw, parseRule, SamplingInput } from '../../spot-checks/sampling';
import type { SpotCheckReportService } from '../../spot-checks/spot-check-report.service';
import type { SpotChecksService } from '../../spot-checks/spot-checks.service';
import type { OrgNode } from '../../orgs/orgs.service';
import { levelLabel, RoundForm } from './spot-checks-form';

type Detail = Awaited<ReturnType<SpotChecksService['detail']>>;
type Report = Awaited<ReturnType<SpotCheckReportService['report']>>;
type Sample = Awaited<ReturnType<SpotChecksService['sampleFiles']>>;
type Finding = Detail['units'][number]['findings'][number];
type Inspector = Awaited<ReturnType<SpotChecksService['inspectorCandidates']>>[number];

/** A rectification is a filing: its status as the round sees it. */
export const RECTIFICATION_LABELS: Record<string, string> = {
  OPEN: '整改中',
  RETURNED: '退回重改',
  SUBMITTED: '待验收',
  ACCEPTED: '已验收销号',
  CLOSED: '已关闭',
};
export const SEVERITIES = ['一般', '较重', '严重'];
const KIND_LABELS = { PASS_FAIL: '合格/不合格', SCORE: '打分' } as const;

const pct = (r: number | null | undefined) => (r === null || r === undefined ? '—' : `${Math.round(r * 1000) / 10}%`);

function photosView(f: Finding) {
  return ((f.photos ?? []) as unknown as StoredPhoto[]).map((p) => ({
    ...p,
    href: `/api/spot-checks/findings/${f.id}/photos/${p.sha256}`,
    ref: JSON.stringify({ name: p.name, mimeType: p.mimeType, size: p.size, sha256: p.sha256 }),
  }));
}

function findingView(f: Finding, item: ChecklistItem | undefined) {
  const r = f.rectification;
  return {
    ...f,
    itemText: item?.text ?? f.itemKey,
    result: item?.kind === 'SCORE' ? `${f.score ?? ''} 分（${f.passed ? '合格' : '不合格'}）` : f.passed ? '合格' : '不合格',
    photos: photosView(f),
    rectification: r
      ? {
          ...r,
          status: r.filing?.status ?? 'OPEN',
          statusLabel: RECTIFICATION_LABELS[r.filing?.status ?? 'OPEN'] ?? r.filing?.status,
          closed: r.filing?.status === 'ACCEPTED',
          deadlineAt: r.filing?.deadlineAt,
          overdue: !!r.filing?.overdue,
        }
      : null,
  };
}

/** The 新建抽查 form with its choices. */
export function roundFormView(form: RoundForm, orgs: OrgNode[], inspectors: Inspector[]) {
  return {
    form: {
      ...form,
      items: form.items.length ? form.items : [{ text: '', kind: 'PASS_FAIL', maxScore: '', passScore: '', evidence: 'PHOTO' }],
      levels: form.levels.length ? form.levels : [{ level: '1', type: 'min', min: '', max: '', share: '' }],
    },
    scopes: orgs.map((o) => ({ id: o.id, label: `${'　'.repeat(o.depth)}${o.name}`, selected: o.id === form.scopeOrgId })),
    inspectors: inspectors.map((i) => ({ id: i.personId, name: i.name, checked: form.inspectorIds.includes(i.personId) })),
    kinds: Object.entries(KIND_LABELS).map(([value, label]) => ({ value, label })),
    evidences: Object.entries(EVIDENCE_LABELS).map(([value, label]) => ({ value, label: `不合格时${label}` })),
    posts: ['驻村工作队员', '第一书记'],
  };
}

/** The draw as stored, replayed from its seed and input (what `npm run cli -- sample` prints), with the strata it satisfied. */
function drawView(sample: Sample) {
  const input = sample.orgs as unknown as SamplingInput;
  const result = draw(parseRule(sample.rule), input, sample.seed);
  return {
    seed: sample.seed,
    strata: result.strata.map((s) => ({
      ...s,
      levelLabel: s.level === 0 ? '抽查范围' : `第 ${s.level} 层`,
      wanted: s.min === s.max ? `${s.min}` : `${s.min}–${s.max}`,
    })),
    eligible: input.units.length - (input.excluded?.length ?? 0),
    excluded: input.excluded?.length ?? 0,
    selected: sample.selected,
    selectedText: sample.selected.join('\n'),
    command: `npm run cli -- sample --rule rule.json --orgs orgs.json --seed ${sample.seed}`,
  };
}

function reportView(r: Report) {
  const levels = r.levels.filter((l) => l.strata.some((s) => s.items > 0));
  return {
    totals: { ...r.totals, rate: pct(r.totals.findings ? r.totals.passed / r.totals.findings : null) },
    byItem: r.byItem.map((i) => ({ ...i, rateText: pct(i.rate) })),
    levels: levels.map((l) => ({ level: l.level, label: levelLabel(l.level), strata: l.strata.map((s) => ({ ...s, rateText: pct(s.rate) })) })),
    chartJson: JSON.stringify(
      levels.map((l) => ({
        name: l.level === 0 ? '整个范围' : `第 ${l.level} 层`,
        strata: l.strata.map((s) => ({ name: s.name, rate: s.rate === null ? null : Math.round(s.rate * 1000) / 10, items: s.items, passed: s.passed })),
      })),
    ),
  };
}

/** The round page: committee (everything) or branch (its own units only, as the service cut them). */
export function detailView(d: Detail, o: { report?: Report; sample?: Sample; actor: Actor; isBranch: boolean }) {
  const items = new Map(d.checklist.map((i) => [i.key, i]));
  const staff = o.actor.role === Role.COMMITTEE_STAFF;
  const units = d.units.map((u) => {
    const findings = u.findings.map((f) => findingView(f, items.get(f.itemKey)));
    return {
      ...u,
      checked: findings.length,
      total: d.checklist.length,
      complete: findings.length >= d.checklist.length,
      failed: findings.filter((f) => !f.passed),
      passedCount: findings.filter((f) => f.passed).length,
      findings,
    };
  });
  return {
    round: {
      ...d,
      targetLabel: d.target === 'PERSON' ? `按职务抽人：${d.targetPost ?? ''}` : '党支部',
      checklist: d.checklist.map((i, n) => ({ ...i, n: n + 1, kindLabel: KIND_LABELS[i.kind], evidenceLabel: EVIDENCE_LABELS[i.evidence] })),
    },
    isBranch: o.isBranch,
    canDraw: staff && d.status === 'PLANNED',
    canClose: staff && d.status === 'DRAWN',
    canInspect: o.actor.role === Role.INSPECTOR && d.status === 'DRAWN' && d.units.some((u) => u.inspectorId === o.actor.personId),
    rule: d.rule
      ? ruleText(d.rule as { levels: { level: number; min?: number; max?: number; share?: number; all?: boolean }[]; excludeRecentRounds?: number })
      : [],
    draw: o.sample ? drawView(o.sample) : undefined,
    units,
    report: o.report ? reportView(o.report) : undefined,
  };
}

/** The rule in the words the form used. */
function ruleText(rule: { levels: { level: number; min?: number; max?: number; share?: number; all?: boolean }[]; excludeRecentRounds?: number }): string[] {
  const lines = rule.levels.map((l) => {
    const where = levelLabel(l.level);
    if (l.all) return `${where}：全部`;
    if (l.share !== undefined)
      return `${where}：按 ${Math.round(l.share * 1000) / 10}%（向上取整）${l.min ? `，至少 ${l.min} 个` : ''}${l.max !== undefined ? `，至多 ${l.max} 个` : ''}`;
    if (l.min !== undefined && l.max !== undefined) return `${where}：${l.min} 至 ${l.max} 个`;
    if (l.min !== undefined) return `${where}：至少 ${l.min} 个`;
    return `${where}：至多 ${l.max} 个`;
  });
  if (rule.excludeRecentRounds) lines.push(`排除最近 ${rule.excludeRecentRounds} 轮已抽查的`);
  return lines;
}

/** The inspector's page: their own units, the checklist per unit with what is already saved. */
export function inspectView(d: Detail, personId: string) {
  const units = d.units
    .filter((u) => u.inspectorId === personId)
    .map((u) => {
      const byKey = new Map(u.findings.map((f) => [f.itemKey, f]));
      const items = d.checklist.map((item, n) => {
        const f = byKey.get(item.key);
        const fv = f ? findingView(f, item) : undefined;
        return {
          ...item,
          n: n + 1,
          unitRowId: u.id,
          isScore: item.kind === 'SCORE',
          evidenceLabel: EVIDENCE_LABELS[item.evidence],
          finding: fv,
          savedPhotos: JSON.stringify(fv?.photos.map((p) => JSON.parse(p.ref)) ?? []),
          passedChecked: f?.passed === true && item.kind === 'PASS_FAIL',
          failedChecked: f?.passed === false && item.kind === 'PASS_FAIL',
          severities: SEVERITIES.map((s) => ({ value: s, selected: (f?.severity ?? '一般') === s })),
        };
      });
      return { id: u.id, label: u.label, items, checked: u.findings.length, total: d.checklist.length };
    });
  return {
    round: {
      id: d.id,
      title: d.title,
      modeLabel: d.modeLabel,
      status: d.status,
      statusLabel: d.statusLabel,
      windowStart: d.windowStart,
      windowEnd: d.windowEnd,
    },
    open: d.status === 'DRAWN',
    rectifyWorkdays: d.rectifyWorkdays,
    units,
  };
}
