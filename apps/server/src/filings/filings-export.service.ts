import { Injectable } from '@nestjs/common';
import ExcelJS from 'exceljs';
import { DateTime } from 'luxon';
import type { Actor } from '../audit/actor';
import { ZONE } from '../calendar/working-calendar';
import { parseModel } from '../documents/documents.service';
import { ReportPdfService } from '../documents/report-pdf.service';
import { FilingStatus } from '../prisma/client';
import { PrismaService } from '../prisma/prisma.service';
import { FilingsService } from './filings.service';
import type { FormDefinition, FormField, ScalarField } from './forms/form-types';

/** How the committee reads each status. */
export const FILING_STATUS_LABELS: Record<FilingStatus, string> = {
  OPEN: '待填报',
  SUBMITTED: '待审核',
  RETURNED: '退回修改',
  ACCEPTED: '已通过',
  CLOSED: '已关闭',
};

/** Date and time in Asia/Shanghai, as people there read it: 2018-01-17 17:30. */
export const shanghaiTime = (d: Date | null | undefined): string => (d ? DateTime.fromJSDate(d, { zone: ZONE }).toFormat('yyyy-MM-dd HH:mm') : '');

/** One scalar value as text: choices by their labels, numbers with their unit. */
function scalarText(field: ScalarField, value: unknown): string {
  if (value === undefined || value === null || value === '') return '';
  const label = (v: unknown) => ('options' in field ? (field.options.find((o) => o.value === v)?.label ?? String(v)) : String(v));
  if (field.type === 'multipleChoice') return (Array.isArray(value) ? value : [value]).map(label).join('、');
  if (field.type === 'singleChoice') return label(value);
  if (field.type === 'number') return `${String(value)}${field.unit ?? ''}`;
  return String(value);
}

function fileNames(value: unknown): string {
  return Array.isArray(value) ? value.map((f) => String((f as { name?: unknown })?.name ?? '')).join('、') : '';
}

/** One Excel cell: numbers stay numbers (the unit is in the column header), the rest as text. */
function cellValue(field: FormField, value: unknown): string | number {
  if (field.type === 'files') return fileNames(value);
  if (field.type === 'table') return Array.isArray(value) ? `${value.length}行` : '';
  if (field.type === 'number' && typeof value === 'number') return value;
  return scalarText(field, value);
}

const headerOf = (f: FormField) => (f.type === 'number' && f.unit ? `${f.label}（${f.unit}）` : f.label);

/** 要求名称 as a safe file-name stem: no path separators or characters Windows refuses. */
const fileStem = (s: string) => s.replace(/[\\/:*?"<>|\r\n]+/g, '_').trim() || '填报';

/** The committee's exports of one requirement: the table and every submission as Excel, and a PDF summary through the documents renderer. */
@Injectable()
export class FilingsExportService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly filings: FilingsService,
    private readonly reports: ReportPdfService,
  ) {}

  /** The committee table (the same scope check: committee capacities over the directive only), plus what the exports need. */
  private async load(actor: Actor, requirementId: string) {
    const table = await this.filings.table(actor, requirementId);
    const req = await this.prisma.requirement.findUniqueOrThrow({
      where: { id: requirementId },
      include: { directive: { select: { document: { select: { title: true, docNumber: true } } } } },
    });
    const committee = await this.prisma.organization.findUniqueOrThrow({ where: { id: req.orgId }, select: { name: true, organCode: true } });
    return { table, req, committee };
  }

  async xlsx(actor: Actor, requirementId: string): Promise<{ filename: string; bytes: Buffer }> {
    const { table, req } = await this.load(actor, requirementId);
    const form = req.form as unknown as FormDefinition;
    // Every branch's latest submitted version (drafts are not submissions).
    const versions = await this.prisma.filingVersion.findMany({
      where: { filingId: { in: table.rows.map((r) => r.filingId) } },
      orderBy: { version: 'desc' },
      distinct: ['filingId'],
    });
    const latest = new Map(versions.map((v) => [v.filingId, v]));

    const wb = new ExcelJS.Workbook();
    wb.creator = '党建工作流';
    wb.created = new Date();
    const bold = { bold: true } as const;

    const summary = wb.addWorksheet('汇总', { views: [{ state: 'frozen', ySplit: 1 }] });
    summary.columns = [
      { header: '序号', key: 'no', width: 6 },
      { header: '支部', key: 'org', width: 32 },
      { header: '状态', key: 'status', width: 10 },
      { header: '期限', key: 'deadline', width: 18 },
      { header: '提交时间', key: 'submitted', width: 18 },
      { header: '提交次数', key: 'version', width: 9 },
      { header: '审核人', key: 'reviewer', width: 10 },
      { header: '逾期', key: 'overdue', width: 6 },
      { header: '逾期工作日', key: 'overdueDays', width: 11 },
    ];
    table.rows.forEach((r, i) =>
      summary.addRow({
        no: i + 1,
        org: r.orgName,
        status: FILING_STATUS_LABELS[r.status],
        deadline: shanghaiTime(r.deadlineAt),
        submitted: shanghaiTime(r.submittedAt),
        version: r.version,
        reviewer: r.reviewer ?? '',
        overdue: r.overdue ? '是' : '否',
        overdueDays: r.overdueWorkdays,
      }),
    );
    summary.getRow(1).font = bold;
    summary.addRow([]);
    const t = table.totals;
    summary.addRow(['', `合计 ${t.total} 个支部：已通过 ${t.accepted}，待审核 ${t.submitted}，退回修改 ${t.returned}，待填报 ${t.open}，逾期 ${t.overdue}`]);

    // 填报内容: one row per branch, or per table row when the form has a table (the branch's other fields repeated on each).
    const content = wb.addWorksheet('填报内容', { views: [{ state: 'frozen', ySplit: 1 }] });
    const tableField = form.fields.find((f) => f.type === 'table');
    const plain = form.fields.filter((f) => f.type !== 'table');
    const tableColumns = tableField?.type === 'table' ? tableField.columns : [];
    content.columns = [
      { header: '支部', key: 'org', width: 32 },
      { header: '状态', key: 'status', width: 10 },
      { header: '版本', key: 'version', width: 6 },
      { header: '提交时间', key: 'submitted', width: 18 },
      ...plain.map((f) => ({ header: headerOf(f), key: `f:${f.key}`, width: f.type === 'longText' ? 40 : 14 })),
      ...(tableField ? [{ header: `${tableField.label}·序号`, key: 't:#', width: 8 }] : []),
      ...tableColumns.map((c) => ({ header: `${tableField?.label}·${headerOf(c)}`, key: `t:${c.key}`, width: c.type === 'longText' ? 40 : 16 })),
    ];
    content.getRow(1).font = bold;
    for (const r of table.rows) {
      const v = latest.get(r.filingId);
      if (!v) continue;
      const values = (v.values ?? {}) as Record<string, unknown>;
      const base: Record<string, unknown> = {
        org: r.orgName,
        status: FILING_STATUS_LABELS[r.status],
        version: v.version,
        submitted: shanghaiTime(v.submittedAt),
      };
      for (const f of plain) base[`f:${f.key}`] = cellValue(f, values[f.key]);
      const rows = tableField && Array.isArray(values[tableField.key]) ? (values[tableField.key] as Record<string, unknown>[]) : [];
      if (!rows.length) content.addRow(base);
      rows.forEach((row, i) => {
        const line: Record<string, unknown> = { ...base, 't:#': i + 1 };
        for (const c of tableColumns) line[`t:${c.key}`] = cellValue(c, row?.[c.key]);
        content.addRow(line);
      });
    }
    for (const ws of [summary, content]) ws.getColumn(2).alignment = { wrapText: true, vertical: 'top' };
    for (const f of plain.filter((x) => x.type === 'longText')) content.getColumn(`f:${f.key}`).alignment = { wrapText: true, vertical: 'top' };

    const bytes = Buffer.from(await wb.xlsx.writeBuffer());
    return { filename: `${fileStem(req.title)}-填报汇总.xlsx`, bytes };
  }

  /**
   * A 通报 of where the requirement stands, rendered like any document once per state of its filings (ReportPdfService):
   * dated, and stating the time, of the first download in that state.
   */
  async pdf(actor: Actor, requirementId: string): Promise<{ filename: string; bytes: Buffer; sha256: string }> {
    const { table, req, committee } = await this.load(actor, requirementId);
    const t = table.totals;
    const source = req.directive?.document;
    const sourceText = source ? `${source.title}${source.docNumber ? `（${source.docNumber}）` : ''}` : '';
    const late = table.rows.filter((r) => r.overdue || r.overdueWorkdays > 0);
    const body = (now: DateTime) => [
      {
        type: 'paragraph',
        text: `${sourceText ? `根据${sourceText}要求，` : ''}各支部须报送《${req.title}》。截至${now.toFormat('yyyy年M月d日H时mm分')}，填报情况通报如下。`,
      },
      {
        type: 'paragraph',
        text: `应报支部${t.total}个，已通过${t.accepted}个，已提交待审核${t.submitted}个，退回修改${t.returned}个，尚未填报${t.open}个；逾期${t.overdue}个。`,
      },
      ...(late.length
        ? [{ type: 'paragraph', text: `以下支部已逾期，请抓紧报送：${late.map((r) => r.orgName).join('、')}。` }]
        : [{ type: 'paragraph', text: '目前没有逾期的支部。' }]),
      {
        type: 'table',
        caption: '各支部填报情况',
        // Five narrow columns so a full branch name (中共××村支部委员会) stays on one line at 14 pt.
        header: ['支部', '状态', '提交日期', '审核人', '逾期'],
        rows: table.rows
          .map((r) => [
            r.orgName,
            FILING_STATUS_LABELS[r.status],
            r.submittedAt ? DateTime.fromJSDate(r.submittedAt, { zone: ZONE }).toFormat('M月d日') : '—',
            r.reviewer ?? '—',
            r.overdueWorkdays ? `${r.overdueWorkdays}个工作日` : r.overdue ? '是' : '—',
          ])
          .concat(table.rows.length ? [] : [['（无）', '—', '—', '—', '—']]),
      },
    ];
    const model = (now: DateTime) =>
      parseModel({
        kind: '通报',
        issuers: [{ name: committee.name, ...(committee.organCode ? { organCode: committee.organCode } : {}) }],
        title: `关于《${req.title}》填报情况的通报`,
        addressee: '各党支部',
        body: body(now),
        signingOrgans: [committee.name],
        date: now.toISODate(),
      });
    const { bytes, sha256 } = await this.reports.pdf('filings.summary', req.id, model);
    return { filename: `${fileStem(req.title)}-填报情况通报.pdf`, bytes, sha256 };
  }
}
