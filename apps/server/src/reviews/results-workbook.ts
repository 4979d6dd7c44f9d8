import ExcelJS from 'exceljs';
import { GRADE_LABELS } from './formula/formula';
import type { FrozenResults } from './review-results';
import type { RoundRow } from './reviews.service';

/**
 * The results as a workbook: 结果 (one row per secretary: rank, total, grade, each group's mean and each rubric item's
 * mean), 日常考核 (each figure with its counts) and 票数核对 (roster against ballot box).
 */
export async function resultsWorkbook(round: RoundRow, frozen: FrozenResults): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '党建工作流与公文审批系统';
  const results = wb.addWorksheet('结果');
  results.columns = [
    { header: '名次', key: 'rank', width: 6 },
    { header: '单位', key: 'org', width: 22 },
    { header: '姓名', key: 'name', width: 10 },
    ...round.groups.map((g) => ({ header: `${g.name}（${g.weight}%）`, key: `g_${g.key}`, width: 16 })),
    { header: '评议得分', key: 'ballot', width: 10 },
    { header: `日常考核（${round.settings.dailyWeight}%）`, key: 'daily', width: 14 },
    { header: '总分', key: 'total', width: 10 },
    { header: '等次', key: 'grade', width: 8 },
    { header: '说明', key: 'note', width: 40 },
    ...round.items.map((i) => ({ header: `${i.name}（满分 ${i.max}）`, key: `i_${i.key}`, width: 16 })),
  ];
  for (const r of frozen.results) {
    const row: Record<string, unknown> = {
      rank: r.rank ?? '',
      org: r.orgName ?? '',
      name: r.name,
      ballot: r.ballotPart ?? '',
      daily: r.dailyCounted ? r.daily : '无记录',
      total: r.total ?? '无有效票',
      grade: r.grade ? GRADE_LABELS[r.grade] : '',
      note: [
        r.tiedWith.length ? '并列' : '',
        r.cappedFrom ? `${r.capReason}，不能评为“${GRADE_LABELS[r.cappedFrom]}”` : '',
        r.missingGroups.length ? `${r.missingGroups.join('、')}无有效票，按其余评分组计算` : '',
      ]
        .filter(Boolean)
        .join('；'),
    };
    for (const g of r.groups) row[`g_${g.key}`] = g.shown ? g.mean : g.valid ? `${g.valid} 票，不足 ${round.settings.minBallotsToShow} 票不显示` : '无有效票';
    for (const i of r.items) row[`i_${i.key}`] = i.mean ?? '';
    results.addRow(row);
  }
  results.getRow(1).font = { bold: true };
  results.views = [{ state: 'frozen', ySplit: 1 }];

  const daily = wb.addWorksheet('日常考核');
  daily.columns = [
    { header: '单位', key: 'org', width: 22 },
    { header: '项目', key: 'label', width: 16 },
    { header: '权重', key: 'weight', width: 8 },
    { header: '达标', key: 'good', width: 8 },
    { header: '总数', key: 'total', width: 8 },
    { header: '比率（%）', key: 'rate', width: 10 },
  ];
  for (const d of Object.values(frozen.daily)) {
    for (const f of d.figures)
      daily.addRow({ org: frozen.orgNames[d.orgId] ?? '', label: f.label, weight: f.weight, good: f.good, total: f.total, rate: f.rate ?? '无记录' });
  }
  daily.getRow(1).font = { bold: true };

  const counts = wb.addWorksheet('票数核对');
  counts.columns = [
    { header: '评分组', key: 'name', width: 16 },
    { header: '名单人数', key: 'raters', width: 10 },
    { header: '已投票人数', key: 'voted', width: 12 },
    { header: '应有选票（按名单）', key: 'expected', width: 18 },
    { header: '实有选票', key: 'ballots', width: 10 },
  ];
  for (const c of frozen.counts) counts.addRow(c);
  counts.getRow(1).font = { bold: true };
  return Buffer.from(await wb.xlsx.writeBuffer());
}
