/**
 * Runs inside the loaded page (page.evaluate): swaps the document in through the DOM
 * and places the 版记. Everything in the flow is a whole number of grid lines high and
 * a page holds 22 lines, so the last section's height in lines, modulo 22, says how
 * full its last page is: the 版记 either fits below (a spacer pushes its last rule onto
 * the text-area bottom) or moves to a page of its own (the unnumbered named page "banji").
 * Self-contained: no closures, it is serialised to the browser.
 */
export function swapDocument(fragment: string, pageCss: string): { sectionLines: number; banjiAlone: boolean | null } {
  const LINES_PER_PAGE = 22;
  document.getElementById('page-css')!.textContent = pageCss;
  const root = document.getElementById('root')!;
  root.innerHTML = fragment;
  const line = parseFloat(getComputedStyle(document.body).lineHeight);
  root.querySelectorAll<HTMLElement>('[data-grid-pad]').forEach((el) => {
    el.style.height = `${Math.ceil(el.getBoundingClientRect().height / line - 0.02) * line}px`;
  });
  const sections = root.querySelectorAll<HTMLElement>('[data-section]');
  const last = sections[sections.length - 1];
  // 信函格式's page 1 is taller by data-extra-mm, which its header absorbs.
  const extraPx = ((parseFloat(last.dataset.extraMm ?? '0') || 0) * 96) / 25.4;
  const sectionLines = Math.ceil((last.getBoundingClientRect().height - extraPx) / line - 0.05);
  const banji = root.querySelector<HTMLElement>('[data-banji]');
  if (!banji) return { sectionLines, banjiAlone: null };
  const rows = banji.querySelector<HTMLElement>('.rows')!;
  const spacer = banji.querySelector<HTMLElement>('[data-spacer]')!;
  const banjiLines = Math.round(rows.getBoundingClientRect().height / line);
  const used = sectionLines % LINES_PER_PAGE;
  const alone = used === 0 || used + banjiLines > LINES_PER_PAGE;
  const free = alone ? LINES_PER_PAGE - banjiLines : LINES_PER_PAGE - used - banjiLines;
  banji.classList.toggle('alone', alone);
  // 0.5 px short: rounding must never push the last rule onto a new page.
  spacer.style.height = `${Math.max(0, free * line - 0.5)}px`;
  return { sectionLines, banjiAlone: alone };
}
