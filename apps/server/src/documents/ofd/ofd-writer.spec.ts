import JSZip from 'jszip';
import { PNG } from 'pngjs';
import { FontLibrary } from './font-files';
import { deltaX, OfdInfo, writeOfd } from './ofd-writer';
import type { PdfGlyph, PdfPageContent } from './pdf-content';

const info: OfdInfo = { docId: '0123456789abcdef0123456789abcdef', title: '关于测试的通知', author: '中共测试乡委员会', creationDate: '2017-04-21' };
const glyph = (u: string, x: number, y = 50, extra: Partial<PdfGlyph> = {}): PdfGlyph => ({
  t: 'glyph',
  u,
  x,
  y,
  adv: 5.571,
  size: 5.644,
  hScale: 1,
  dir: [1, 0, 0, 1],
  font: 'GWFangSong-Regular',
  color: [0, 0, 0],
  ...extra,
});
// no font files: the writer names the fonts without embedding them
const noFonts = new FontLibrary(['/nonexistent']);

async function files(pages: PdfPageContent[]): Promise<Record<string, string>> {
  const zip = await JSZip.loadAsync(await writeOfd(pages, info, noFonts));
  const out: Record<string, string> = {};
  for (const [name, f] of Object.entries(zip.files)) if (name.endsWith('.xml')) out[name] = await f.async('string');
  return out;
}

describe('OFD writer', () => {
  it('DeltaX: runs of one value are written as g count value', () => {
    expect(deltaX(Array(18).fill(5.5714))).toBe('g 18 5.571');
    expect(deltaX([2.749, 1.496, 5.57, 5.57, 5.57, 5.574])).toBe('2.749 1.496 g 3 5.57 5.574');
    expect(deltaX([5.57, 5.57])).toBe('5.57 5.57');
  });

  it('a line of glyphs becomes one TextObject whose X, Y and DeltaX put each character at its PDF origin', async () => {
    const line = [...'各村党支部'].map((c, i) => glyph(c, 28 + i * 5.571));
    const out = await files([{ width: 210, height: 297, items: [...line, glyph('１', 40, 61)] }]);
    const page = out['Doc_0/Pages/Page_0/Content.xml'];
    const [, bx, by, , , y, text] =
      /<ofd:TextObject ID="\d+" Boundary="([\d.]+) ([\d.]+) ([\d.]+) ([\d.]+)" Font="\d+" Size="5.644"><ofd:TextCode X="0" Y="([\d.]+)" DeltaX="g 4 5.571">([^<]+)</.exec(
        page,
      )!;
    expect(text).toBe('各村党支部');
    expect(Number(bx)).toBeCloseTo(28, 3);
    expect(Number(by) + Number(y)).toBeCloseTo(50, 3); // the baseline
    expect(page.match(/<ofd:TextObject /g)).toHaveLength(2); // another baseline, another object
  });

  it('a turned glyph (a seal letter) is placed by its CTM; rules are PathObjects relative to their Boundary; a raster image is a MultiMedia resource', async () => {
    const img = new PNG({ width: 2, height: 2 });
    img.data.fill(255);
    const out = await files([
      {
        width: 210,
        height: 297,
        items: [
          glyph('中', 130, 190, { dir: [0, -1, 1, 0], color: [230, 0, 18] }),
          {
            t: 'path',
            d: ['M', 28, 120.9, 'L', 184, 120.9, 'L', 184, 121.4, 'L', 28, 121.4, 'C'],
            fill: [230, 0, 18],
            stroke: null,
            lineWidth: 0,
            evenOdd: false,
          },
          { t: 'image', ctm: [42, 0, 0, 42, 120, 160], width: 2, height: 2, rgba: new Uint8Array(img.data) },
        ],
      },
    ]);
    const page = out['Doc_0/Pages/Page_0/Content.xml'];
    expect(page).toMatch(/CTM="0 -1 1 0 [\d.]+ [\d.]+"[^>]*><ofd:FillColor Value="230 0 18"\/><ofd:TextCode X="0" Y="0">中</);
    expect(page).toContain(
      '<ofd:PathObject ID="6" Boundary="28 120.9 156 0.5" Stroke="false" Fill="true"><ofd:FillColor Value="230 0 18"/><ofd:AbbreviatedData>M 0 0 L 156 0 L 156 0.5 L 0 0.5 C</ofd:AbbreviatedData>',
    );
    expect(page).toMatch(/<ofd:ImageObject ID="7" Boundary="120 160 42 42" CTM="42 0 0 42 0 0" ResourceID="2"\/>/);
    expect(out['Doc_0/DocumentRes.xml']).toContain(
      '<ofd:MultiMedia ID="2" Type="Image" Format="PNG"><ofd:MediaFile>image_2.png</ofd:MediaFile></ofd:MultiMedia>',
    );
    expect(out['Doc_0/PublicRes.xml']).toContain('<ofd:Font ID="1" FontName="GWFangSong-Regular" FamilyName="GWFangSong-Regular"/>');
    expect(out['Doc_0/Document.xml']).toContain('<ofd:MaxUnitID>7</ofd:MaxUnitID>');
  });

  it('a compressed 发文机关标志 keeps its compression as HScale, in a run of its own', async () => {
    const mark = [...'中共大滩乡委员会'].map((c, i) => glyph(c, 28 + i * 11.088, 41.3, { size: 13, hScale: 0.853, color: [230, 0, 18] }));
    const page = (await files([{ width: 210, height: 297, items: [...mark, glyph('文', 28 + 8 * 11.088, 41.3, { size: 13, color: [230, 0, 18] })] }]))[
      'Doc_0/Pages/Page_0/Content.xml'
    ];
    expect(page).toMatch(/Size="13" HScale="0.853"><ofd:FillColor Value="230 0 18"\/><ofd:TextCode X="0" Y="[\d.]+" DeltaX="g 7 11.088">中共大滩乡委员会</);
    expect(page).toMatch(/Size="13"><ofd:FillColor Value="230 0 18"\/><ofd:TextCode X="0" Y="[\d.]+">文</);
  });

  it('the same pages and metadata give the same bytes', async () => {
    const pages: PdfPageContent[] = [{ width: 210, height: 297, items: [glyph('文', 28)] }];
    expect(Buffer.compare(await writeOfd(pages, info, noFonts), await writeOfd(pages, info, noFonts))).toBe(0);
  });
});
