import { DOCUMENT_KINDS, DocumentBlockDto, DocumentKind, DocumentModel, parseChineseDate, parseDocNumber } from '../model';
import { parseBodyLine } from './body-line.parser';
import { normalizePunctuation } from './normalize-punctuation';
import { findRedHeader, headerLineKind, redHeaderNotice } from './red-header';

export interface ImportResult {
  model: DocumentModel;
  warnings: string[];
  /** What the importer took out on purpose, for the person to see (the red header's lines). */
  notices: string[];
}

export class EmptyDocumentTextError extends Error {
  readonly code = 'DOCUMENT_TEXT_EMPTY';
  constructor() {
    super('导入失败：公文文本为空，请粘贴或上传公文正文');
    this.name = 'EmptyDocumentTextError';
  }
}

interface Line {
  no: number; // 1-based line number in the source, for warnings
  text: string;
}

const KIND_BY_ENDING: [RegExp, DocumentKind][] = [
  [/(实施)?方案$/u, '方案'],
  ...DOCUMENT_KINDS.filter((k) => k !== '方案').map((k): [RegExp, DocumentKind] => [new RegExp(`${k}$`, 'u'), k]),
];
const SENTENCE_END = /[。！？；]$/u;
const DATE_LINE = /^\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$/u;

/**
 * Reads a directive typed or pasted as plain text: 发文字号, title, 主送, headings of four
 * levels, numbered items with run-in lead sentences, 附件说明, 署名 and 成文日期, 抄送, 印发.
 * Text it cannot place stays in the body and is named in a warning; only the red header (版头: 发文机关标志,
 * 发文字号, 签发人, the red rule) is dropped, and a notice lists its lines.
 */
export function importText(text: string): ImportResult {
  if (typeof text !== 'string' || !text.trim()) throw new EmptyDocumentTextError();
  const warnings: string[] = [];
  let lines: Line[] = text
    .replace(/^\uFEFF/, '')
    .split(/\r\n|\r|\n/)
    .map((t, i) => ({ no: i + 1, text: normalizePunctuation(t.trim()) }))
    .filter((l) => l.text.length > 0);

  // The red header at the top ("中共大滩乡委员会文件", "大滩委发〔2026〕 号", "签发人：…", ────) is not body text.
  const header = findRedHeader(
    lines.map((l) => l.text),
    looksLikeTitle,
  );
  const dropped = header.lines;
  lines = lines.slice(header.count);

  // 版头 and 标题: the lines before the 主送 (or the first body line).
  let docNumber: DocumentModel['docNumber'] = header.docNumber;
  let title: string | undefined;
  let addressee: string | undefined;
  const preamble: Line[] = [];
  while (lines.length) {
    const l = lines[0];
    const dn = l.text.length <= 30 ? parseDocNumber(l.text) : null;
    const kind = headerLineKind(l.text);
    if (dn && !docNumber) {
      docNumber = dn;
      dropped.push(l.text);
    } else if (kind && kind !== 'organ')
      dropped.push(l.text); // a 版头 line after the title: "大滩委发〔2026〕 号", "签发人：…"
    else if (/[：:]$/u.test(l.text) && l.text.length <= 120 && !/\s|^(来源|作者|编辑|责编)/u.test(l.text)) {
      addressee = l.text.slice(0, -1);
      lines.shift();
      break;
    } else if (!title && looksLikeTitle(l.text)) title = l.text;
    else if (preamble.length >= 3 || (l.text.length > 40 && /[。，]/u.test(l.text)))
      break; // the body has begun
    else preamble.push(l);
    lines.shift();
  }
  // Preamble lines that were neither number nor title go back to the body, with a warning.
  for (const l of preamble) warnings.push(`第${l.no}行未能识别为版头或标题，已作为正文段落保留：“${clip(l.text)}”`);
  lines = [...preamble, ...lines];

  // 版记 and signature, from the end.
  let cc: string[] | undefined;
  let printing: DocumentModel['printing'];
  let date = '';
  const signingOrgans: string[] = [];
  const tail = (): Line | undefined => lines[lines.length - 1];
  for (let l = tail(); l; l = tail()) {
    const ccm = /^抄送[：:](.+)$/u.exec(l.text);
    const pm = /^(.+?)\s*(\d{4}年\d{1,2}月\d{1,2}日)\s*印发$/u.exec(l.text);
    if (ccm)
      cc = ccm[1]
        .replace(/[。.]$/u, '')
        .split(/[，,、]/u)
        .map((s) => s.trim())
        .filter(Boolean);
    else if (pm && parseChineseDate(pm[2])) printing = { organ: pm[1].trim(), date: parseChineseDate(pm[2])! };
    else break;
    lines.pop();
  }
  const last = tail();
  if (last && DATE_LINE.test(last.text) && parseChineseDate(last.text)) {
    date = parseChineseDate(last.text)!;
    lines.pop();
    const organ = tail();
    if (organ && organ.text.length <= 40 && !/[。，；：]/u.test(organ.text) && !parseBodyLine(organ.text).level) {
      signingOrgans.push(organ.text);
      lines.pop();
    } else warnings.push('未找到署名（发文机关），请补充');
  } else warnings.push('未在文末找到成文日期（如 2017年4月21日），请补充');

  // 附件说明: "附件：名称" or "附件：1.名称" with following "2.名称" lines, just before the signature.
  const attachments = takeAttachmentNotes(lines);

  const body: DocumentBlockDto[] = lines.map((l) => parseBodyLine(l.text));
  if (!body.length) {
    warnings.push('未找到正文');
  }
  for (const [i, b] of body.entries()) {
    const src = lines[i];
    if (b.type === 'paragraph' && src.text.length < 16 && !SENTENCE_END.test(src.text) && !warnings.some((w) => w.startsWith(`第${src.no}行`))) {
      warnings.push(`第${src.no}行较短且不是完整句子，已作为正文段落保留，请核对：“${clip(src.text)}”`);
    }
  }

  const kind = kindOf(title, body);
  if (!title) {
    title = defaultTitle(body, kind);
    warnings.push(`原文没有标题，已拟定为：${title}（请核对）`);
  }
  if (!docNumber) warnings.push('未找到发文字号（如 大滩委发〔2017〕58号）');
  if (!addressee) warnings.push('未找到主送机关（以冒号结尾的行）');

  const issuerName = signingOrgans[0];
  const model = {
    kind,
    issuers: issuerName ? [{ name: issuerName, ...(docNumber ? { organCode: docNumber.organCode } : {}) }] : [],
    ...(docNumber ? { docNumber } : {}),
    title,
    ...(addressee ? { addressee } : {}),
    body,
    ...(attachments.length ? { attachments } : {}),
    signingOrgans,
    date,
    ...(cc ? { cc } : {}),
    ...(printing ? { printing } : {}),
  } as DocumentModel;
  return { model, warnings, notices: dropped.length ? [redHeaderNotice(dropped)] : [] };
}

function looksLikeTitle(t: string): boolean {
  return t.length <= 80 && !SENTENCE_END.test(t) && !/[，,]/u.test(t) && KIND_BY_ENDING.some(([re]) => re.test(t));
}

function kindOf(title: string | undefined, body: DocumentBlockDto[]): DocumentKind {
  for (const [re, kind] of KIND_BY_ENDING) if (title && re.test(title)) return kind;
  const opening = body
    .slice(0, 3)
    .map((b) => b.text ?? '')
    .join('');
  if (/制定.{0,40}?方案/u.test(opening)) return '方案';
  return '通知';
}

/** "现特制定“党建扶贫攻坚年”七大行动的实施方案" → "“党建扶贫攻坚年”七大行动实施方案". */
function defaultTitle(body: DocumentBlockDto[], kind: DocumentKind): string {
  const opening = body
    .slice(0, 3)
    .map((b) => b.text ?? '')
    .join('');
  const m = /制定(?:了|如下)?(.{2,40}?)的?(实施方案|工作方案|方案|办法|意见)/u.exec(opening);
  if (m && !/[。，]/u.test(m[1])) return `${m[1].replace(/的$/u, '')}${m[2]}`;
  return kind;
}

function takeAttachmentNotes(lines: Line[]): { title: string }[] {
  const idx = lines.findIndex((l) => /^附件[：:]/u.test(l.text));
  if (idx < 0 || idx < lines.length - 12) return [];
  const titles: string[] = [];
  const first = lines[idx].text.replace(/^附件[：:]\s*/u, '');
  const numbered = /^\d+[.．、]\s*/u;
  titles.push(first.replace(numbered, ''));
  let end = idx + 1;
  if (numbered.test(first)) {
    while (end < lines.length && numbered.test(lines[end].text) && lines[end].text.length <= 60) titles.push(lines[end++].text.replace(numbered, ''));
  }
  if (end !== lines.length) return []; // not at the end of the body: leave it as text
  lines.splice(idx);
  return titles.filter(Boolean).map((title) => ({ title }));
}

function clip(t: string): string {
  return t.length > 30 ? `${t.slice(0, 30)}…` : t;
}
