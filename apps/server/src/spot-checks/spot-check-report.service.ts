import { Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import type { Actor } from '../audit/actor';
import { ZONE } from '../calendar/working-calendar';
import { DomainError } from '../common/errors/domain-error';
import { parseModel } from '../documents/documents.service';
import { ReportPdfService } from '../documents/report-pdf.service';
import { PrismaService } from '../prisma/prisma.service';
import type { OrgNode, SamplingInput } from './sampling';
import { SpotChecksService } from './spot-checks.service';

export interface PassRate {
  orgId: string;
  name: string;
  units: number;
  items: number;
  passed: number;
  /** passed / items, 0…1; null when nothing was checked there */
  rate: number | null;
}

const pct = (r: number | null) => (r === null ? '—' : `${Math.round(r * 1000) / 10}%`);

/** The round's report: results per unit and item, rectifications open and closed, pass rates per level, and the 通报. */
@Injectable()
export class SpotCheckReportService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly rounds: SpotChecksService,
    private readonly reportPdfs: ReportPdfService,
  ) {}

  async report(actor: Actor, id: string) {
    const { branchOrgId } = await this.rounds.view(actor, id);
    if (branchOrgId) throw DomainError.notFound('抽查轮次');
    const detail = await this.rounds.detail(actor, id);
    const round = await this.prisma.spotCheckRound.findUniqueOrThrow({ where: { id }, select: { drawInput: true } });
    const items = detail.checklist.length;

    const units = detail.units.map((u) => {
      const passed = u.findings.filter((f) => f.passed).length;
      const rects = u.findings.map((f) => f.rectification).filter((r) => r !== null);
      const closed = rects.filter((r) => r.filing?.status === 'ACCEPTED').length;
      return {
        ...u,
        checked: u.findings.length,
        passed,
        failed: u.findings.length - passed,
        rectifications: { total: rects.length, closed, open: rects.length - closed, overdue: rects.filter((r) => r.filing?.overdue).length },
      };
    });
    const allFindings = units.flatMap((u) => u.findings);
    const rects = units.map((u) => u.rectifications);
    const totals = {
      units: units.length,
      unitsChecked: units.filter((u) => u.checked >= items).length,
      findings: allFindings.length,
      passed: allFindings.filter((f) => f.passed).length,
      failed: allFindings.filter((f) => !f.passed).length,
      rectifications: rects.reduce((s, r) => s + r.total, 0),
      rectificationsClosed: rects.reduce((s, r) => s + r.closed, 0),
      rectificationsOpen: rects.reduce((s, r) => s + r.open, 0),
      rectificationsOverdue: rects.reduce((s, r) => s + r.overdue, 0),
    };
    const byItem = detail.checklist.map((item) => {
      const fs = allFindings.filter((f) => f.itemKey === item.key);
      const passed = fs.filter((f) => f.passed).length;
      return { key: item.key, text: item.text, checked: fs.length, passed, failed: fs.length - passed, rate: fs.length ? passed / fs.length : null };
    });
    const levels = this.passRatesByLevel((round.drawInput as unknown as SamplingInput | null)?.orgs ?? [], detail.units);
    return { round: detail, totals, byItem, units, levels };
  }

  /** Pass rate of the checked items in each organisation's subtree, level by level below the scope root (level 0 = the whole scope). */
  private passRatesByLevel(orgs: OrgNode[], units: { orgId: string; findings: { passed: boolean }[] }[]): { level: number; strata: PassRate[] }[] {
    const byId = new Map(orgs.map((o) => [o.id, o]));
    const root = orgs.find((o) => o.parentId === null);
    if (!root) return [];
    const depth = new Map<string, number>([[root.id, 0]]);
    const depthOf = (id: string): number => {
      if (depth.has(id)) return depth.get(id) as number;
      const parent = byId.get(id)?.parentId;
      const d = parent ? depthOf(parent) + 1 : 0;
      depth.set(id, d);
      return d;
    };
    const stats = new Map<string, { units: number; items: number; passed: number }>();
    for (const u of units) {
      for (let at: string | null | undefined = u.orgId; at; at = byId.get(at)?.parentId) {
        const s = stats.get(at) ?? { units: 0, items: 0, passed: 0 };
        s.units += 1;
        s.items += u.findings.length;
        s.passed += u.findings.filter((f) => f.passed).length;
        stats.set(at, s);
      }
    }
    const levels = new Map<number, PassRate[]>();
    for (const [orgId, s] of stats) {
      const org = byId.get(orgId);
      if (!org) continue;
      const level = depthOf(orgId);
      const list = levels.get(level) ?? [];
      list.push({ orgId, name: org.name, units: s.units, items: s.items, passed: s.passed, rate: s.items ? s.passed / s.items : null });
      levels.set(level, list);
    }
    const collator = new Intl.Collator('zh');
    return [...levels.entries()]
      .sort(([a], [b]) => a - b)
      .map(([level, strata]) => ({ level, strata: strata.sort((a, b) => collator.compare(a.name, b.name)) }));
  }

  /**
   * A red-header 通报 of the round, rendered like any official document once per state of its results
   * (ReportPdfService): dated the day of the first download in that state.
   */
  async pdf(actor: Actor, id: string): Promise<{ filename: string; bytes: Buffer; sha256: string }> {
    const r = await this.report(actor, id);
    const { orgId } = await this.prisma.spotCheckRound.findUniqueOrThrow({ where: { id }, select: { orgId: true } });
    const committee = await this.prisma.organization.findUniqueOrThrow({ where: { id: orgId }, select: { name: true, organCode: true } });
    const t = r.totals;
    const mode = r.round.mode === 'UNANNOUNCED' ? '暗访' : '明查';
    const target = r.round.target === 'PERSON' ? `${r.round.targetPost ?? ''}` : '党支部';
    const problems = r.units.flatMap((u) =>
      u.findings
        .filter((f) => !f.passed)
        .map((f) => `${u.label}：${r.round.checklist.find((i) => i.key === f.itemKey)?.text ?? f.itemKey}${f.notes ? `（${f.notes}）` : ''}`),
    );
    const level1 = r.levels.find((l) => l.level === 1)?.strata ?? [];
    const body = [
      {
        type: 'paragraph',
        text: `${DateTime.fromJSDate(r.round.windowStart, { zone: ZONE }).toFormat('yyyy年M月d日')}至${DateTime.fromJSDate(r.round.windowEnd, { zone: ZONE }).toFormat('M月d日')}，${committee.name}以${mode}方式开展“${r.round.title}”，按抽样规则随机抽取${t.units}个${target}进行检查。现将有关情况通报如下。`,
      },
      { type: 'heading', level: 1, text: '总体情况' },
      {
        type: 'paragraph',
        text: `共检查${t.unitsChecked}个对象、${t.findings}项次，合格${t.passed}项次，不合格${t.failed}项次，合格率${pct(t.findings ? t.passed / t.findings : null)}。已开具整改${t.rectifications}项，已整改到位${t.rectificationsClosed}项，正在整改${t.rectificationsOpen}项${t.rectificationsOverdue ? `，其中逾期${t.rectificationsOverdue}项` : ''}。`,
      },
      ...(level1.length ? [{ type: 'paragraph', text: `分单位合格率：${level1.map((s) => `${s.name}${pct(s.rate)}`).join('，')}。` }] : []),
      { type: 'heading', level: 1, text: '发现的主要问题' },
      ...(problems.length
        ? problems.slice(0, 40).map((p, i) => ({ type: 'paragraph', text: `${i + 1}．${p}` }))
        : [{ type: 'paragraph', text: '本轮检查未发现问题。' }]),
      { type: 'heading', level: 1, text: '有关要求' },
      { type: 'paragraph', text: '存在问题的单位要对照问题清单逐项整改，按期报送整改报告；督查员逐项验收，逾期未整改的按规定问责。' },
      {
        type: 'table',
        caption: '检查结果一览',
        header: ['被查对象', '合格', '不合格', '整改'],
        rows: r.units
          .map((u) => [
            u.label,
            String(u.passed),
            String(u.failed),
            u.rectifications.total ? `${u.rectifications.closed}/${u.rectifications.total}已完成` : '—',
          ])
          .concat(r.units.length ? [] : [['（无）', '—', '—', '—']]),
      },
    ];
    const model = (now: DateTime) =>
      parseModel({
        kind: '通报',
        issuers: [{ name: committee.name, ...(committee.organCode ? { organCode: committee.organCode } : {}) }],
        title: `关于${r.round.title}情况的通报`,
        addressee: '各党支部',
        body,
        signingOrgans: [committee.name],
        date: now.toISODate(),
      });
    const { bytes, sha256 } = await this.reportPdfs.pdf('spotcheck.report', id, model);
    const stem = r.round.title.replace(/[\\/:*?"<>|\r\n]+/g, '_').trim() || '抽查';
    return { filename: `${stem}-通报.pdf`, bytes, sha256 };
  }
}
