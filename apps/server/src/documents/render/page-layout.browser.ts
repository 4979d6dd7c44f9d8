/**
 * Runs inside the loaded page (page.evaluate): swaps the document in through the DOM
 * and places the 版记. Everything in the flow is a whole number of grid lines high and
 * a page holds 22 lines, so each section's height in lines says how many pages it takes
 * and how full its last page is. 公文 are printed on both sides and the 版记 belongs on
 * the last side (封四), an even page: it stays below the text when the last text page is
 * even and has room (a spacer pushes its last rule onto the text-area bottom); otherwise
 * it moves to a page of its own (the unnumbered named page "banji"), after an unnumbered
 * blank page when that page would be odd (GB/T 9704 7.5: 版记页前有空白页的，空白页和版记页均不编排页码).
 * Self-contained: no closures, it is serialised to the browser.
 */
export function swapDocument(
  fragment: string,
  pageCss: string,
  title: string,
): { sectionLines: number; textPages: number; banjiAlone: boolean | null; blankPage: boolean } {
  const LINES_PER_PAGE = 22;
  document.title = title;
  document.getElementById('page-css')!.textContent = pageCss;
  const root = document.getElementById('root')!;
  root.innerHTML = fragment;
  const line = parseFloat(getComputedStyle(document.body).lineHeight);
  root.querySelectorAll<HTMLElement>('[data-grid-pad]').forEach((el) => {
    el.style.height = `${Math.ceil(el.getBoundingClientRect().height / line - 0.02) * line}px`;
  });
  // Every section starts a page; 信函格式's page 1 is taller by data-extra-mm, which its header absorbs.
  const linesOf = (s: HTMLElement) => {
    const extraPx = ((parseFloat(s.dataset.extraMm ?? '0') || 0) * 96) / 25.4;
    return Math.ceil((s.getBoundingClientRect().height - extraPx) / line - 0.05);
  };
  const sections = Array.from(root.querySelectorAll<HTMLElement>('[data-section]'));
  const sectionLines = linesOf(sections[sections.length - 1]);
  const textPages = sections.reduce((n, s) => n + Math.max(1, Math.ceil(linesOf(s) / LINES_PER_PAGE)), 0);
  const banji = root.querySelector<HTMLElement>('[data-banji]');
  if (!banji) return { sectionLines, textPages, banjiAlone: null, blankPage: false };
  const rows = banji.querySelector<HTMLElement>('.rows')!;
  const spacer = banji.querySelector<HTMLElement>('[data-spacer]')!;
  const banjiLines = Math.round(rows.getBoundingClientRect().height / line);
  const used = sectionLines % LINES_PER_PAGE;
  const fits = used !== 0 && used + banjiLines <= LINES_PER_PAGE;
  const alone = !(fits && textPages % 2 === 0);
  const blank = alone && (textPages + 1) % 2 === 1;
  const free = alone ? LINES_PER_PAGE - banjiLines : LINES_PER_PAGE - used - banjiLines;
  banji.classList.toggle('alone', alone);
  banji.classList.toggle('blank', blank);
  // 0.5 px short: rounding must never push the last rule onto a new page.
  spacer.style.height = `${Math.max(0, free * line - 0.5)}px`;
  return { sectionLines, textPages, banjiAlone: alone, blankPage: blank };
}
