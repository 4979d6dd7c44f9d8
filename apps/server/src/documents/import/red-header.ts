import { DocNumber, parseDocNumber } from '../model';

/**
 * The 版头 (red header) of GB/T 9704 7.2 as it arrives in pasted text: 份号, 密级, 紧急程度, the
 * 发文机关标志 ("中共大滩乡委员会文件"), the 发文字号 (also with the number left blank, "大滩委发〔2026〕 号"),
 * 签发人 and the red rule (a line of ─ or —, with or without ★). None of it is body text.
 */
export type HeaderLineKind = 'copyNo' | 'secrecy' | 'urgency' | 'organMark' | 'organ' | 'docNumber' | 'signer' | 'rule';

/** Longest line taken for a header line; longer lines are never tested against the patterns below. */
const MAX_HEADER_LINE = 60;

/** An organ's name (full or short: "中共大滩乡委") and 文件; "认真学习中央一号文件" is not one. */
const ORGAN_MARK = /^[\p{Script=Han}（）()、·\s]{1,50}[会委组府室办厅局部院支处]\s*文件$|^文件$/u;
const ORGAN = /^[\p{Script=Han}（）()、·\s]{2,40}(委员会|党委|党组|党工委|工委|纪委|监委|人民政府|政府|办公室|党支部|党总支)$/u;
/** 发文字号, the serial (and even the year) possibly blank: "大滩委发〔2026〕 号", "大滩委发〔 〕号". */
const DOC_NUMBER_LINE = /^[\p{Script=Han}A-Za-z]{1,16}\s*[〔［[【(（]\s*(?:\d{4})?\s*[〕］\]】)）]\s*第?\s*\d*\s*号$/u;
const SIGNER = /^签\s*发\s*人\s*[：:]\s*[\p{Script=Han}·\s、，,]{0,30}$/u;
const RULE = /^[─━—―－\-_＿=＝~～\s]*★?[─━—―－\-_＿=＝~～\s]*$/u;
const RULE_CHARS = /[─━—―－\-_＿=＝~～]/gu;

/** What one line of the 版头 is, or null when it is not one. */
export function headerLineKind(text: string): HeaderLineKind | null {
  const t = text.trim();
  if (!t || t.length > MAX_HEADER_LINE) return null;
  if (/^\d{6}$/u.test(t)) return 'copyNo';
  if (/^(绝密|机密|秘密)(\s*★.{0,10})?$/u.test(t)) return 'secrecy';
  if (/^(特急|加急|特提|平急)$/u.test(t)) return 'urgency';
  if (DOC_NUMBER_LINE.test(t)) return 'docNumber';
  if (SIGNER.test(t)) return 'signer';
  if (RULE.test(t) && (t.match(RULE_CHARS)?.length ?? 0) >= 3) return 'rule';
  if (/关于/u.test(t)) return null; // a title naming its organ ("中共…委员会关于…") is never the header
  if (ORGAN_MARK.test(t)) return 'organMark';
  if (ORGAN.test(t)) return 'organ';
  return null;
}

/**
 * "大滩委发〔2026〕58号 签发人：张三" (the 上行文 layout) on one line: both halves are header lines.
 * Returns the kinds found, or null when any part is not a header line.
 */
function lineKinds(text: string): HeaderLineKind[] | null {
  const whole = headerLineKind(text);
  if (whole) return [whole];
  const at = text.search(/签\s*发\s*人\s*[：:]/u);
  if (at <= 0) return null;
  const first = headerLineKind(text.slice(0, at));
  const second = headerLineKind(text.slice(at));
  return first && second ? [first, second] : null;
}

export interface RedHeader {
  /** How many lines at the top of the text belong to the header (0 when none). */
  count: number;
  /** Those lines, as they were. */
  lines: string[];
  /** A 发文字号 with a number, when the header had one. */
  docNumber?: DocNumber;
}

/**
 * The red header at the top of pasted text: the leading lines that are 版头 lines. An organ name alone
 * ("中共大滩乡委员会", the mark of a 信函 or a joint header) counts only beside another header line
 * (文件, 发文字号, 签发人, the rule) or right before the title, so a title split after its organ's name
 * with nothing else around it is not taken for a header.
 */
export function findRedHeader(lines: string[], looksLikeTitle: (t: string) => boolean): RedHeader {
  let count = 0;
  let strong = false;
  let docNumber: DocNumber | undefined;
  for (const text of lines) {
    const kinds = lineKinds(text);
    if (!kinds) break;
    if (kinds.some((k) => k !== 'organ')) strong = true;
    if (kinds.includes('docNumber') && !docNumber) {
      const numberPart = text.split(/签\s*发\s*人/u)[0];
      docNumber = parseDocNumber(numberPart) ?? undefined;
    }
    count++;
  }
  if (count && !strong && !(count < lines.length && looksLikeTitle(lines[count]))) return { count: 0, lines: [] };
  return { count, lines: lines.slice(0, count), ...(docNumber ? { docNumber } : {}) };
}

/** "已去掉红头中的 3 行：“…”“…”“…”" — what the importer took out of the body. */
export function redHeaderNotice(lines: string[]): string {
  const shown = lines.map((l) => `“${l.length > 30 ? `${l.slice(0, 30)}…` : l}”`).join('');
  return `已去掉红头中的 ${lines.length} 行：${shown}`;
}
