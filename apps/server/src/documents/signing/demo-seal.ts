/**
 * A demo 电子印章 as SVG: a red ring, the organ's name along the upper arc, a five-pointed star in the middle
 * and 演示 below it, so nobody mistakes it for a real seal. 42 mm across like a township's seal.
 * Uses the installed stand-in fonts (an SVG image in Chromium sees system fonts, not web fonts): the 小标宋 subset the
 * title already embeds, since embedding one more full CJK font made a sealed print ~280 ms slower.
 */
export function demoSealSvg(organ: string): string {
  const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
  const r = 20.45; // ring radius, mm: with its 1.1 mm stroke the seal is 42 mm across
  const chars = [...organ];
  // the name spans up to 240° of the upper arc, one character per step
  const span = Math.min(240, chars.length * 22);
  const fontSize = Math.min(6.2, ((span / 360) * 2 * Math.PI * 16.2) / chars.length) * 0.95;
  const letters = chars
    .map((ch, i) => {
      const a = -90 - span / 2 + (span / chars.length) * (i + 0.5);
      const rad = (a * Math.PI) / 180;
      const x = 21 + 16.2 * Math.cos(rad);
      const y = 21 + 16.2 * Math.sin(rad);
      return `<text x="${x.toFixed(3)}" y="${y.toFixed(3)}" transform="rotate(${(a + 90).toFixed(2)} ${x.toFixed(3)} ${y.toFixed(3)})">${esc(ch)}</text>`;
    })
    .join('');
  const star = Array.from({ length: 10 }, (_, i) => {
    const rad = i % 2 ? 2.6 : 6.8;
    const a = ((-90 + i * 36) * Math.PI) / 180;
    return `${(21 + rad * Math.cos(a)).toFixed(3)},${(21 + rad * Math.sin(a)).toFixed(3)}`;
  }).join(' ');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="42mm" height="42mm" viewBox="0 0 42 42">` +
    `<g fill="#e60012" stroke="none" font-family="GW XiaoBiaoSong Common, GW XiaoBiaoSong, GW SongTi, serif" font-size="${fontSize.toFixed(2)}" text-anchor="middle" dominant-baseline="central">` +
    `<circle cx="21" cy="21" r="${r}" fill="none" stroke="#e60012" stroke-width="1.1"/>` +
    `<polygon points="${star}"/>${letters}` +
    `<text x="21" y="32" font-size="3.6">演示</text></g></svg>`
  );
}
