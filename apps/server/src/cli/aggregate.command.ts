import fs from 'node:fs';
import { DomainError } from '../common/errors/domain-error';
import { ExportFile, parseExportFile } from '../reviews/formula/export-file';
import { aggregate, AggregateResult, BALLOT_KIND_LABELS, FORMULA_LABEL, FormulaInputError, GRADE_LABELS, SubjectResult } from '../reviews/formula/formula';
import { UsageError } from './cli-error';

/** aggregate: recounts an exported ballots file with the formula and prints one tab-separated row per secretary. */
export function aggregateCommand(file: string, write: (text: string) => void = (text) => process.stdout.write(text)): void {
  const input = readExportFile(file);
  let result: AggregateResult;
  try {
    result = aggregate(input);
  } catch (err) {
    if (err instanceof FormulaInputError) throw new UsageError(`选票文件“${file}”有误：${err.message}`);
    throw err;
  }
  write(report(input, result));
}

function readExportFile(file: string): ExportFile {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`无法读取选票文件“${file}”：${(err as NodeJS.ErrnoException).code === 'ENOENT' ? '文件不存在' : (err as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`选票文件“${file}”不是合法的 JSON：${(err as Error).message}`);
  }
  try {
    return parseExportFile(json);
  } catch (err) {
    if (err instanceof DomainError) throw new UsageError(`选票文件“${file}”有误：${err.fields.map((f) => f.message).join('；') || err.message}`);
    throw err;
  }
}

function report(input: ExportFile, { results }: AggregateResult): string {
  const { settings, groups } = input;
  const abstentions = input.ballots.filter((b) => b.abstain).length;
  const groupNames = new Map(groups.map((g) => [g.key, g.name]));
  const names = new Map(results.map((r) => [r.subjectId, r.name]));
  const lines = [
    `${FORMULA_LABEL}：${input.round.year} 年 ${input.round.name}`,
    `评分组：${groups.map((g) => `${g.name} ${g.weight}%（${BALLOT_KIND_LABELS[g.ballotKind]}）`).join('、')}；日常考核占总分 ${settings.dailyWeight}%`,
    `某组有效票 ${settings.trimAtLeast} 张及以上时去掉一个最高分和一个最低分；有效票少于 ${settings.minBallotsToShow} 张的组不显示平均分，但计入总分`,
    `共 ${results.length} 人，选票 ${input.ballots.length} 张（其中弃权 ${abstentions} 张）；总分四舍五入保留两位小数`,
    '',
    ['名次', '姓名', '单位', ...groups.map((g) => g.name), '日常考核', '总分', '等次', '说明'].join('\t'),
    ...results.map((r) => row(r, settings.dailyWeight, groupNames, names).join('\t')),
  ];
  return `${lines.join('\n')}\n`;
}

function row(r: SubjectResult, dailyWeight: number, groupNames: Map<string, string>, names: Map<string, string>): string[] {
  const notes: string[] = [];
  if (r.cappedFrom && r.grade) notes.push(`${r.capReason}，等次由“${GRADE_LABELS[r.cappedFrom]}”调为“${GRADE_LABELS[r.grade]}”`);
  if (r.tiedWith.length) notes.push(`与${r.tiedWith.map((id) => names.get(id)).join('、')}并列`);
  if (r.total !== null && r.missingGroups.length)
    notes.push(`${r.missingGroups.map((k) => groupNames.get(k)).join('、')}无有效票，其权重由其余评分组按比例分担`);
  if (r.total !== null && !r.dailyCounted && dailyWeight > 0) notes.push('无日常考核记录，总分全部来自评议票');
  return [
    r.rank === null ? '—' : String(r.rank),
    r.name,
    r.orgName ?? '',
    ...r.groups.map((g) => (g.mean !== null ? g.mean.toFixed(2) : g.valid === 0 ? '无票' : '票数不足')),
    r.daily === null ? '无记录' : r.daily.toFixed(2),
    r.total === null ? '—' : r.total.toFixed(2),
    r.grade ? GRADE_LABELS[r.grade] : '无有效票',
    notes.join('；'),
  ];
}
