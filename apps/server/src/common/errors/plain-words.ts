/**
 * Messages as people read them: the label they see, never a field path, an English enum value or an internal name.
 * Every message that leaves the server (DomainErrorFilter, the pages' errorMap, the validation pipe's field errors)
 * passes through here, so a message written the old way
 * ("字段 title（标题）不能为空", "字段 chain.signerId（签发人）须为人员编号", "字段“重点任务”（tasks）第 1 行“任务”（task）…")
 * reaches the page and the API as "标题不能为空", "签发人须为人员编号", "重点任务第1行的“任务”…". The API's `fields[].field`
 * keeps the path for programs; only the words change.
 */

/** Fields some messages name without a label. */
const LABELS: Record<string, string> = {
  tab: '列表',
  kind: '类别',
  limit: '每页条数',
  after: '翻页位置',
  directiveId: '发文',
  status: '状态',
  model: '公文内容',
  text: '公文文本',
  file: '附件',
  ackTimeoutMs: '等待时间',
  day: '日期',
  from: '开始日期',
  to: '结束日期',
  n: '天数',
  id: '编号',
  values: '填报内容',
  version: '版本',
  stepId: '审批步骤',
  reason: '理由',
  comment: '意见',
  seed: '随机种子',
  username: '用户名',
  password: '密码',
  levels: '层级',
  min: '最少抽取数',
  max: '最多抽取数',
  orgIds: '支部',
  reviewers: '核稿人',
  countersigners: '会签人',
};

/** Enum values some messages list without their Chinese name. */
const VALUES: Record<string, string> = {
  VILLAGE: '村',
  COMMUNITY: '社区',
  OFFICE: '机关',
  SCHOOL: '学校',
  COMMITTEE: '党委',
  ALL: '全部支部',
  KINDS: '按类别',
  LIST: '指定支部',
  FIXED: '固定时间',
  WORKDAYS: '工作日数',
  BRANCH: '抽支部',
  PERSON: '按职务抽人',
};

// requirements[0].title, and requirements[].title as a DTO's message names a field of every row.
const PATH = String.raw`[A-Za-z_$][\w$]*(?:(?:\.[A-Za-z_$][\w$]*)|\[\d*\])*`;

/**
 * The label for a path that came without one, from the known names of its segments with the row numbers of lists:
 * levels[0].min → 层级第1项的最少抽取数; an unknown name alone → 该项.
 */
function labelFor(path: string): string {
  const segments = path.match(/[A-Za-z_$][\w$]*|\[\d+\]/g) ?? [];
  let out = '';
  for (const s of segments) {
    if (s.startsWith('[')) out += `第${Number(s.slice(1, -1)) + 1}项`;
    // Own names only: __proto__ or constructor sent as a field name must not find Object's.
    else if (Object.hasOwn(LABELS, s)) out += out ? `的${LABELS[s]}` : LABELS[s];
  }
  return out ? (out.startsWith('第') ? `该项${out}` : out) : '该项';
}

export function plainWords(message: string): string {
  if (!message || !(/[A-Za-z]/.test(message) || message.includes('字段'))) return message;
  let m = message;
  // A form field: 字段“重点任务”（tasks）第 1 行“任务”（task） → 重点任务第1行的“任务”.
  m = m.replace(/字段“([^”]+)”(?:（[\w$.[\]]+）)?第\s*(\d+)\s*行“([^”]+)”(?:（[\w$.[\]]+）)?/g, '$1第$2行的“$3”');
  m = m.replace(/字段“([^”]+)”(?:（[\w$.[\]]+）)?/g, '“$1”');
  // A DTO field: 字段 chain.signerId（签发人） → 签发人; 字段 tab → 列表.
  m = m.replace(new RegExp(String.raw`字段\s*(${PATH})\s*（([^）]+)）\s*`, 'g'), '$2');
  m = m.replace(new RegExp(String.raw`字段\s*(${PATH})\s*`, 'g'), (_all, path: string) => labelFor(path));
  // A bare path with its label, as in "model 与 text" or "organCode（机关代字）不能为空".
  m = m.replace(new RegExp(String.raw`(^|[^A-Za-z0-9_$])\s?(${PATH})（([^）]+)）`, 'g'), (all, before: string, path: string, label: string) =>
    /[\u4e00-\u9fff]/.test(label) && !/^(PDF|CSV|PNG|SVG|JPEG|OFD|Excel|xlsx)$/i.test(path) ? `${before}${label}` : all,
  );
  m = m.replace(/model 与 text 只能填写一个/g, '公文内容与公文文本只能填写一个');
  // Leftover enum values of a field just named, and technical words.
  m = m.replace(/必须是 true 或 false/g, '必须选择是或否');
  m = m.replace(/([\u4e00-\u9fff])\s(?=(?:VILLAGE|COMMUNITY|OFFICE|SCHOOL|COMMITTEE|ALL|KINDS|LIST|FIXED|WORKDAYS|BRANCH|PERSON)\b)/g, '$1');
  m = m.replace(/\b(VILLAGE|COMMUNITY|OFFICE|SCHOOL|COMMITTEE|ALL|KINDS|LIST|FIXED|WORKDAYS|BRANCH|PERSON)\b/g, (v) => VALUES[v]);
  // A Chinese word with its code after it: "问责（MEASURES）" → 问责 (the other way round, "ACCEPT（通过）", is a bare path above).
  m = m.replace(/([\u4e00-\u9fff”])\s?（(?!(?:PDF|CSV|OFD|PNG|SVG|JPEG)）)[A-Z][A-Z0-9_]*）/g, '$1');
  m = m.replace(/（UUID）/g, '');
  m = m.replace(/\s?YYYY-MM-DD(\s?格式)?/g, '“年-月-日”格式（如 2026-01-05）');
  m = m.replace(/\s?HH:mm/g, '“时:分”格式');
  m = m.replace(/（U\+0000）/g, '');
  return m;
}
