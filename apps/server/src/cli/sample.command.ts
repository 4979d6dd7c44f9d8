import fs from 'node:fs';
import { DomainError } from '../common/errors/domain-error';
import { draw, DrawResult, parseRule, parseSamplingInput } from '../spot-checks/sampling';
import { UsageError } from './cli-error';

export interface SampleOptions {
  rule: string;
  orgs: string;
  seed: string;
  verbose?: boolean;
}

function readJson(file: string, what: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`无法读取${what}“${file}”：${(err as NodeJS.ErrnoException).code === 'ENOENT' ? '文件不存在' : (err as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${what}“${file}”不是合法的 JSON：${(err as Error).message}`);
  }
}

/** Runs a parser over a file's JSON, saying which file a field error is in. */
function parseFile<T>(file: string, what: string, parse: (json: unknown) => T): T {
  const json = readJson(file, what);
  try {
    return parse(json);
  } catch (err) {
    if (err instanceof DomainError) throw new UsageError(`${what}“${file}”有误：${err.fields.map((f) => f.message).join('；') || err.message}`);
    throw err;
  }
}

function strataTable(result: DrawResult): string {
  const rows = result.strata.map((s) => {
    const wanted = s.min === s.max ? `${s.min}` : `${s.min}–${s.max}`;
    return `${s.level === 0 ? '抽查范围' : `第${s.level}层`}\t${s.name}\t符合条件 ${s.eligible}\t要求 ${wanted}\t抽中 ${s.selected}`;
  });
  return `${rows.join('\n')}\n共抽中 ${result.selected.length} 个\n`;
}

/** sample: replays a stored draw (or tries a rule) — prints the selected ids, one per line, sorted. */
export function sampleCommand(opts: SampleOptions): void {
  const rule = parseFile(opts.rule, '抽样规则文件', parseRule);
  const input = parseFile(opts.orgs, '组织快照文件', parseSamplingInput);
  const result = draw(rule, input, opts.seed);
  if (opts.verbose) process.stderr.write(strataTable(result));
  process.stdout.write(result.selected.map((id) => `${id}\n`).join(''));
}
