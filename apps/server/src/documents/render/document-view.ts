import { DocumentBlockDto, DocumentModel, formatChineseDate, formatDocNumber, formatOf, DocumentFormat } from '../model';
import { HeaderLayout, layoutHeader, fitMark } from './header-layout';
import { LETTER_MARK_SIZE_MM, LINE_MM, XBS_INK_HEIGHT, XBS_INK_TOP } from './layout-constants';
import { splitTitle } from './title-lines';
import { toChineseNumeral } from './chinese-numerals';

/** What the Handlebars templates see: every decision already taken, no logic in templates. */
export interface DocumentView {
  format: DocumentFormat;
  header: HeaderLayout;
  letter?: { name: string; markTop: number; fontSize: number; scale: number; docNoTop: number; height: number; extra: number; pageCss: string };
  titleLines: string[];
  addressee?: string;
  body: BlockView[];
  attachNotes?: { single?: string; items?: string[] };
  signature?: { organs: string[]; date: string; seal?: string };
  note?: string;
  people?: { label: string; names: string }[];
  attachments: { label: string; title: string; body: BlockView[] }[];
  banji?: { cc?: string; printing?: { organ: string; date: string }; height: number; rules: { y: number; h: number }[] };
}

export type BlockView = DocumentBlockDto & { cls?: string; prefix?: string };

const SUFFIX: Record<DocumentFormat, string> = { standard: '文件', letter: '', minutes: '纪要', order: '命令' };

export function buildView(m: DocumentModel): DocumentView {
  const format = formatOf(m.kind);
  const organs = m.issuers.map((i) => i.markName ?? i.name);
  const docNo = m.docNumber ? formatDocNumber(m.docNumber.organCode, m.docNumber.year, m.docNumber.serial) : undefined;
  const upward = m.kind === '请示' || m.kind === '报告';
  const orderNo = format === 'order' && m.orderNumber ? `第${m.orderNumber}号` : undefined;
  const header = layoutHeader({
    format,
    organs: format === 'minutes' ? [organs[0]] : organs,
    suffix: SUFFIX[format],
    copyNumber: m.copyNumber,
    secret: m.secretLevel ? `${m.secretLevel}${m.secretTerm ? `★${m.secretTerm}` : ''}` : undefined,
    urgency: m.urgency,
    docNo: orderNo ?? (format === 'minutes' ? undefined : docNo),
    signer: upward && m.signers?.length ? m.signers.join('　') : undefined,
    star: m.issuers[0]?.kind === 'party',
  });
  const view: DocumentView = {
    format,
    header,
    titleLines: format === 'order' ? [] : splitTitle(m.title),
    addressee: m.addressee,
    body: blocks(m.body),
    attachNotes: attachNotes(m),
    signature: signature(m, format),
    note: m.note,
    // An attachment with its own text gets its page; one that is a file (or only a name) is listed in the 附件说明
    // and carried beside the PDF, never printed as a page with nothing but its name.
    attachments: (m.attachments ?? [])
      .map((a, i, all) => ({
        label: all.length > 1 ? `附件${i + 1}` : '附件',
        title: a.title,
        body: blocks(a.body ?? []),
      }))
      .filter((a) => a.body.length > 0),
    banji: banji(m),
  };
  if (format === 'letter') view.letter = letter(organs.join(''), header, docNo);
  if (format === 'minutes' && m.minutes) {
    const p = m.minutes;
    view.people = [
      { label: '出席', names: p.attendees.join('，') },
      ...(p.absentees?.length ? [{ label: '请假', names: p.absentees.join('，') }] : []),
      ...(p.observers?.length ? [{ label: '列席', names: p.observers.join('，') }] : []),
    ];
  }
  return view;
}

function blocks(list: DocumentBlockDto[]): BlockView[] {
  const counters = [0, 0, 0, 0];
  return list.map((b) => {
    if (b.type !== 'heading' || !b.level) return b.type === 'list' && b.ordered ? { ...b, items: b.items?.map((t, i) => `${i + 1}. ${t}`) } : b;
    const lvl = b.level;
    counters[lvl - 1] = b.number ? Number(b.number) || counters[lvl - 1] + 1 : counters[lvl - 1] + 1;
    for (let i = lvl; i < 4; i++) counters[i] = 0;
    const n = b.number ?? (lvl <= 2 ? toChineseNumeral(counters[lvl - 1]) : String(counters[lvl - 1]));
    const prefix = lvl === 1 ? `${n}、` : lvl === 3 ? `${n}.` : `（${n}）`;
    return { ...b, cls: `h${lvl}`, prefix };
  });
}

function attachNotes(m: DocumentModel): DocumentView['attachNotes'] {
  const list = m.attachments ?? [];
  if (!list.length) return undefined;
  const strip = (t: string) => t.replace(/[。；，、.;,]+$/u, ''); // 附件名称后不加标点
  if (list.length === 1) return { single: strip(list[0].title) };
  return { items: list.map((a, i) => `${i + 1}. ${strip(a.title)}`) };
}

function signature(m: DocumentModel, format: DocumentFormat): DocumentView['signature'] {
  if (format === 'minutes' && !m.signingOrgans.length) return undefined;
  return { organs: m.signingOrgans, date: formatChineseDate(m.date), seal: m.seal };
}

function banji(m: DocumentModel): DocumentView['banji'] {
  const cc = m.cc?.length ? `${m.cc.join('，')}。` : undefined;
  const printing = m.printing ? { organ: m.printing.organ, date: formatChineseDate(m.printing.date) } : undefined;
  if (!cc && !printing) return undefined;
  const rows = (cc ? 1 : 0) + (printing ? 1 : 0);
  const height = rows * LINE_MM;
  // First and last rules 0.35 mm, the one between 抄送 and 印发 0.25 mm; the last one ends at the block bottom.
  const rules = [{ y: 0, h: 0.35 }];
  if (cc && printing) rules.push({ y: LINE_MM - 0.125, h: 0.25 });
  rules.push({ y: height - 0.35, h: 0.35 });
  return { cc, printing, height, rules: rules.map((r) => ({ y: Math.round(r.y * 1000) / 1000, h: r.h })) };
}

/**
 * 信函格式. Page 1 gets its own @page: a 30 mm top margin so the red name starts 30 mm
 * from the page edge, and the double lines drawn as the page background (the only
 * place Chromium paints outside the content box), so they can sit 20 mm above the page
 * bottom. The header is 7 mm + whole lines high, so page 1 still holds whole grid lines.
 */
function letter(name: string, header: HeaderLayout, docNo?: string): DocumentView['letter'] {
  const { fontSize, scale } = fitMark(name, 156, LETTER_MARK_SIZE_MM);
  const pageTop = 30;
  const extra = 37 - pageTop;
  const topLines = pageTop + XBS_INK_TOP * 0 + XBS_INK_HEIGHT * fontSize + 4; // page y of the thick line's top
  const bottomLines = 297 - 20 - 1.7; // page y of the pair's top, its thick line ending 20 mm above the bottom
  // 份号/密级/紧急 and 发文字号 on the first grid line below the double line; title after one blank line.
  const firstLine = Math.ceil((topLines + 1.7 - 2 - pageTop - extra) / LINE_MM); // ink starts ~2.5 mm into a line box
  header.lines.forEach((l, i) => (l.top = extra + (firstLine + i) * LINE_MM));
  const docNoTop = extra + firstLine * LINE_MM;
  const height = extra + (firstLine + Math.max(1, header.lines.length) + 1) * LINE_MM;
  const svg =
    `<svg xmlns='http://www.w3.org/2000/svg' width='210mm' height='297mm' viewBox='0 0 210 297'>` +
    `<g fill='%23e60012'><rect x='20' y='${r3(topLines)}' width='170' height='0.8'/><rect x='20' y='${r3(topLines + 1.4)}' width='170' height='0.3'/>` +
    `<rect x='20' y='${r3(bottomLines)}' width='170' height='0.3'/><rect x='20' y='${r3(bottomLines + 0.9)}' width='170' height='0.8'/></g></svg>`;
  const pageCss =
    `@page :first { margin-top: ${pageTop}mm; background: url("data:image/svg+xml,${svg.replace(/</g, '%3C').replace(/>/g, '%3E')}") no-repeat -28mm -${pageTop}mm / 210mm 297mm; ` +
    `@bottom-right { content: none; } @bottom-left { content: none; } }`;
  return { name, markTop: -XBS_INK_TOP * fontSize, fontSize, scale, docNoTop: docNo ? docNoTop : 0, height, extra, pageCss };
}

const r3 = (n: number) => Math.round(n * 1000) / 1000;
