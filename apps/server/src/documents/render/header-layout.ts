import { DocumentFormat } from '../model';
import {
  LINE_MM,
  MARK_MIN_SCALE,
  MARK_SIZE_MM,
  MARK_TOP_MM,
  ORDER_MARK_TOP_MM,
  RED_RULE_MM,
  RULE_GAP_MM,
  STAR_GAP_MM,
  STAR_RADIUS_MM,
  FS_INK_BOTTOM_MM,
  TEXT_WIDTH_MM,
  XBS_INK_HEIGHT,
  XBS_INK_TOP,
} from './layout-constants';

export interface MarkLayout {
  top: number;
  fontSize: number;
  scale: number;
  text?: string;
  joint?: string[];
  suffix?: string;
  rowHeight?: number;
}

export interface HeaderLayout {
  lines: { top: number; text: string; cls: string }[];
  mark?: MarkLayout;
  docNo?: { top: number; text: string; signer?: string };
  rule?: { top: number; height: number; star?: StarRule };
  height: number;
}

/** The separator with the star, as one SVG (mm): its box top, height, the rule's y in it, the two segments and the star. */
export interface StarRule {
  top: number;
  height: number;
  ruleY: number;
  leftWidth: number;
  rightX: number;
  rightWidth: number;
  points: string;
}

/** Width of a string in em: CJK and full-width forms count 1, ASCII ½. */
export function emWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += ch.codePointAt(0)! < 0x2000 ? 0.5 : 1;
  return w;
}

/** Font size and horizontal compression so the 标志 fits one line of 156 mm. */
export function fitMark(text: string, widthMm = TEXT_WIDTH_MM, sizeMm = MARK_SIZE_MM): { fontSize: number; scale: number } {
  const natural = emWidth(text) * sizeMm;
  if (natural <= widthMm) return { fontSize: sizeMm, scale: 1 };
  const scale = widthMm / natural;
  if (scale >= MARK_MIN_SCALE) return { fontSize: sizeMm, scale: round(scale * 0.995) };
  // Too long even compressed: shrink the size as well, never wrap.
  return { fontSize: round((widthMm / (emWidth(text) * MARK_MIN_SCALE)) * 0.995), scale: MARK_MIN_SCALE };
}

const round = (n: number) => Math.round(n * 1000) / 1000;
const gridLine = (mm: number) => Math.ceil(mm / LINE_MM - 0.15);

export interface HeaderInput {
  format: DocumentFormat;
  organs: string[];
  suffix: string;
  copyNumber?: string;
  secret?: string;
  urgency?: string;
  docNo?: string;
  signer?: string;
  /** Party organ: the separator carries the red star. */
  star?: boolean;
}

export function layoutHeader(h: HeaderInput): HeaderLayout {
  const lines: HeaderLayout['lines'] = [];
  let n = 0;
  if (h.copyNumber) lines.push({ top: LINE_MM * n++, text: h.copyNumber, cls: '' });
  if (h.secret) lines.push({ top: LINE_MM * n++, text: h.secret, cls: 'hei' });
  if (h.urgency) lines.push({ top: LINE_MM * n++, text: h.urgency, cls: 'hei' });

  const markTop = h.format === 'order' ? ORDER_MARK_TOP_MM : MARK_TOP_MM;
  const mark = layoutMark(h.organs, h.suffix, markTop);
  const inkBottom = markTop + mark.inkHeight;

  // 发文字号 two blank lines below the 标志, on a grid line so the body stays on the grid.
  const docLine = gridLine(inkBottom + 2 * LINE_MM - (LINE_MM - FS_INK_BOTTOM_MM) + 1);
  const docTop = docLine * LINE_MM;
  const hasDocLine = Boolean(h.docNo || h.signer);
  const ruleTop = (hasDocLine ? docTop + FS_INK_BOTTOM_MM : inkBottom) + RULE_GAP_MM;
  const withRule = h.format !== 'order' && h.format !== 'minutes';
  // Title two blank lines below the red line, snapped to the nearest grid line.
  const after = withRule ? ruleTop + RED_RULE_MM + 2 * LINE_MM : (hasDocLine ? docTop + LINE_MM : inkBottom) + 2 * LINE_MM;
  const height = Math.round(after / LINE_MM) * LINE_MM;
  return {
    lines,
    mark: mark.layout,
    docNo: hasDocLine ? { top: docTop, text: h.docNo ?? '', signer: h.signer } : undefined,
    rule: withRule ? { top: round(ruleTop), height: RED_RULE_MM, star: h.star ? starRule(ruleTop) : undefined } : undefined,
    height: round(height),
  };
}

function layoutMark(organs: string[], suffix: string, inkTop: number): { layout: MarkLayout; inkHeight: number } {
  if (organs.length <= 1) {
    const text = (organs[0] ?? '') + suffix;
    const { fontSize, scale } = fitMark(text);
    return { layout: { top: round(inkTop - XBS_INK_TOP * fontSize), fontSize, scale, text }, inkHeight: XBS_INK_HEIGHT * fontSize };
  }
  // 联合行文: names stacked, suffix to their right and vertically centred (flex). Sized so
  // the longest name plus the suffix fits the text width; no transform, so layout widths are real.
  const rowHeight = 1.2;
  const longest = Math.max(...organs.map(emWidth));
  const suffixEm = emWidth(suffix) + (suffix ? 0.2 : 0);
  const size = round(Math.min(12, (TEXT_WIDTH_MM / (longest + suffixEm)) * 0.99));
  const rows = organs.length * rowHeight * size;
  const top = inkTop - ((rowHeight - XBS_INK_HEIGHT) / 2) * size - XBS_INK_TOP * size;
  return {
    layout: { top: round(top), fontSize: size, scale: 1, joint: organs, suffix, rowHeight: round(rowHeight * size) },
    inkHeight: rows - (rowHeight - XBS_INK_HEIGHT) * size,
  };
}

/** A regular five-pointed star centred on the text width, its bounding box centred on the rule's middle line. */
export function starRule(ruleTop: number, r = STAR_RADIUS_MM, gap = STAR_GAP_MM): StarRule {
  const cosd = (d: number) => Math.cos((d * Math.PI) / 180);
  const sind = (d: number) => Math.sin((d * Math.PI) / 180);
  const starH = r * (1 + cosd(36));
  const halfW = r * sind(72);
  const inner = (r * sind(18)) / sind(54); // inner radius of a regular pentagram
  const cx = TEXT_WIDTH_MM / 2;
  const cy = r; // the box starts at the top point
  const points = Array.from({ length: 10 }, (_, i) => {
    const rad = i % 2 ? inner : r;
    const a = -90 + i * 36;
    return `${round(cx + rad * cosd(a))},${round(cy + rad * sind(a))}`;
  }).join(' ');
  const ruleMid = ruleTop + RED_RULE_MM / 2;
  const top = ruleMid - starH / 2;
  const ruleY = starH / 2 - RED_RULE_MM / 2;
  const leftWidth = cx - halfW - gap;
  return {
    top: round(top),
    height: round(starH),
    ruleY: round(ruleY),
    leftWidth: round(leftWidth),
    rightX: round(cx + halfW + gap),
    rightWidth: round(leftWidth),
    points,
  };
}
