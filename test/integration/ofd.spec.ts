import type { NestExpressApplication } from '@nestjs/platform-express';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DateTime } from 'luxon';
import { PNG } from 'pngjs';
import { SigningIdentityService } from '../../apps/server/src/documents/signing-identity.service';
import { Role } from '../../apps/server/src/prisma/client';
import type { PrismaService } from '../../apps/server/src/prisma/prisma.service';
import { checkOfdPart, OFD_NS, OfdPackage, OfdText, readOfd } from './documents/support/ofd-package';
import { inkMismatch, rasterize, rasterizeOfd } from './documents/support/ofd-raster';
import { letter, minutes, order, standardNotice } from './documents/sample-documents';
import { renderToFile, startRenderer } from './documents/support/render-fixture';
import { OfdExporter, ofdInfoOf } from '../../apps/server/src/documents/ofd/ofd-exporter';
import type { DocumentModel } from '../../apps/server/src/documents/model';
import { cli } from '../support/cli';
import { makeCommittee, makePerson, PASSWORD } from '../support/factories';
import { ApiSession, startApp } from '../support/test-app';

jest.setTimeout(180_000);

const PT = 25.4 / 72;
const squash = (s: string) => s.replace(/\s+/g, '');

/** pdftotext's text of one page, in content-stream order (-raw), whitespace removed. */
function pdfPageText(file: string, page: number): string {
  return squash(execFileSync('pdftotext', ['-raw', '-f', String(page), '-l', String(page), file, '-']).toString());
}

function pdfPages(file: string): number {
  return Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file]).toString())![1]);
}

/** pdftotext -bbox's words of one page, in mm. */
function pdfWords(file: string, page: number): { text: string; xMin: number; yMin: number; xMax: number; yMax: number }[] {
  const html = execFileSync('pdftotext', ['-bbox', '-f', String(page), '-l', String(page), file, '-']).toString();
  return [...html.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)].map((m) => ({
    text: m[5],
    xMin: Number(m[1]) * PT,
    yMin: Number(m[2]) * PT,
    xMax: Number(m[3]) * PT,
    yMax: Number(m[4]) * PT,
  }));
}

/** An embedded font's vertical metrics (hhea, per em) and the characters its cmap maps, read with fontTools. */
function fontFacts(bytes: Buffer): { ascent: number; descent: number; chars: Set<string>; magic: string } {
  const file = path.join(os.tmpdir(), `ofd-font-${process.pid}-${Date.now()}.ttf`);
  fs.writeFileSync(file, bytes);
  try {
    const out = execFileSync('/usr/bin/python3', [
      '-c',
      'import json,sys\nfrom fontTools.ttLib import TTFont\nt=TTFont(sys.argv[1])\nu=t["head"].unitsPerEm\nprint(json.dumps({"ascent":t["hhea"].ascent/u,"descent":-t["hhea"].descent/u,"chars":"".join(chr(c) for c in t.getBestCmap())}))',
      file,
    ]).toString();
    const j = JSON.parse(out) as { ascent: number; descent: number; chars: string };
    return { ascent: j.ascent, descent: j.descent, chars: new Set(j.chars), magic: bytes.subarray(0, 4).toString('hex') };
  } finally {
    fs.rmSync(file, { force: true });
  }
}

/** Every page's text equals the PDF's; every embedded font maps every character drawn with it. */
async function expectSameTextAsPdf(pkg: OfdPackage, pdfFile: string): Promise<void> {
  expect(pkg.pages).toHaveLength(pdfPages(pdfFile));
  pkg.pages.forEach((p, i) => expect({ page: i + 1, text: squash(p.text) }).toEqual({ page: i + 1, text: pdfPageText(pdfFile, i + 1) }));
  const used = new Map<string, Set<string>>();
  for (const p of pkg.pages) for (const t of p.texts) for (const c of t.chars) used.set(t.font, (used.get(t.font) ?? new Set()).add(c.ch));
  for (const [id, chars] of used) {
    const font = pkg.fonts.get(id)!;
    expect(font.file).toBeDefined(); // embedded, not left to the reader's machine
    const bytes = await pkg.zip.file(font.file!)!.async('nodebuffer');
    const facts = fontFacts(bytes);
    expect(facts.magic).toBe('00010000'); // TrueType outlines
    expect(bytes.length).toBeLessThan(400_000); // a subset, not the 3–30 MB font
    expect([...chars].filter((c) => c.trim() && !facts.chars.has(c))).toEqual([]);
  }
}

/** The OFD text object that starts with `text`, and where its first glyph sits against pdftotext's box for the same word. */
async function placement(pkg: OfdPackage, pdfFile: string, page: number, text: string) {
  const word = pdfWords(pdfFile, page).find((w) => w.text === text);
  expect(word).toBeDefined();
  const obj = pkg.pages[page - 1].texts.find((t: OfdText) => t.chars.map((c) => c.ch).join('') === text);
  expect(obj).toBeDefined();
  const facts = fontFacts(await pkg.zip.file(pkg.fonts.get(obj!.font)!.file!)!.async('nodebuffer'));
  const first = obj!.chars[0];
  const last = obj!.chars[obj!.chars.length - 1];
  // the box pdftotext draws: ascent above and descent below the baseline, from the glyph origins
  return {
    word: word!,
    ofd: { xMin: first.x, yMin: first.y - facts.ascent * obj!.size, yMax: first.y + facts.descent * obj!.size, lastX: last.x },
  };
}

function binary(res: import('superagent').Response, done: (err: Error | null, body: Buffer) => void) {
  const stream = res as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => done(null, Buffer.concat(chunks)));
}

describe('OFD export (GB/T 33190-2016): the issued 公文 as a version-format package with the PDF’s text and positions', () => {
  let app: NestExpressApplication;
  let prisma: PrismaService;
  let staff: ApiSession;
  let secretary: ApiSession;
  let docId: string;
  let docNumber: string;
  let draftId: string;
  let pkg: OfdPackage;
  let ofdResponse: import('superagent').Response;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gw-ofd-'));
  const pdfFile = path.join(dir, 'issued.pdf');
  const title = '中共大滩乡委员会关于印发《“党建扶贫攻坚年”七大行动实施方案》的通知';

  beforeAll(async () => {
    ({ app, prisma } = await startApp());
    const committee = await makeCommittee(prisma, { name: '中共达州市达川区版式乡委员会', organCode: `版${Date.now() % 100000}发` });
    await app.get(SigningIdentityService).ensureDemo(committee.id); // sealed and signed, as the demo township's
    const s = await makePerson(prisma, [{ orgId: committee.id, role: Role.COMMITTEE_STAFF }]);
    const k = await makePerson(prisma, [{ orgId: committee.id, role: Role.COMMITTEE_SECRETARY }]);
    staff = new ApiSession(app);
    await staff.login(s.username, PASSWORD);
    secretary = new ApiSession(app);
    await secretary.login(k.username, PASSWORD);
    const model = { ...standardNotice(12), title, issuers: [{ name: committee.name, markName: '中共版式乡委员会' }], signingOrgans: [committee.name] };
    const draft = await staff.post('/api/documents', { model: JSON.parse(JSON.stringify(model)) }).expect(201);
    docId = draft.body.id;
    docNumber = (await secretary.post(`/api/documents/${docId}/sign`).expect(200)).body.docNumber;
    draftId = (await staff.post('/api/documents', { model: JSON.parse(JSON.stringify(model)) }).expect(201)).body.id;
    fs.writeFileSync(pdfFile, (await staff.get(`/api/documents/${docId}/pdf`).buffer(true).parse(binary).expect(200)).body);
    ofdResponse = await staff.get(`/api/documents/${docId}/ofd`).buffer(true).parse(binary).expect(200);
    pkg = await readOfd(ofdResponse.body);
  });
  afterAll(async () => {
    await app.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('GET /api/documents/:id/ofd downloads a zip package named after the document, the same bytes every time', async () => {
    expect(ofdResponse.headers['content-type']).toBe('application/ofd');
    const again = await secretary.get(`/api/documents/${docId}/ofd`).buffer(true).parse(binary).expect(200);
    expect(Buffer.compare(again.body, ofdResponse.body)).toBe(0);
    expect(ofdResponse.body.subarray(0, 4).toString('hex')).toBe('504b0304');
    expect(decodeURIComponent(ofdResponse.headers['content-disposition'].split("''")[1])).toBe(`${docNumber} ${title}.ofd`);
  });

  it('the package follows the standard’s schema: namespace, required elements and attributes in order, unique IDs, every reference resolves', () => {
    expect(pkg.problems).toEqual([]);
    expect([...pkg.files.keys()].sort()).toEqual(
      expect.arrayContaining(['OFD.xml', 'Doc_0/Document.xml', 'Doc_0/PublicRes.xml', 'Doc_0/DocumentRes.xml', 'Doc_0/Pages/Page_0/Content.xml']),
    );
    expect(pkg.files.get('Doc_0/Document.xml')).toContain('<ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox>');
    expect(pkg.fonts.size).toBeGreaterThanOrEqual(3); // 小标宋, 仿宋, 黑体, 楷体, the page numbers' 宋体
  });

  it('the checker finds a broken package: a duplicate ID, a missing page, a font reference to nothing', async () => {
    const zip = pkg.zip;
    const content = pkg.files.get('Doc_0/Pages/Page_0/Content.xml')!;
    const document = pkg.files.get('Doc_0/Document.xml')!;
    zip.file('Doc_0/Pages/Page_0/Content.xml', content.replace(/Font="\d+"/, 'Font="99999"'));
    zip.file(
      'Doc_0/Document.xml',
      document.replace('Pages/Page_1/Content.xml', 'Pages/Page_9/Content.xml').replace(/<ofd:Page ID="(\d+)"/, '<ofd:Page ID="1"'),
    );
    const broken = await readOfd(await zip.generateAsync({ type: 'nodebuffer' }));
    expect(broken.problems.join('\n')).toMatch(/ID 1 与 .* 重复/);
    expect(broken.problems.join('\n')).toContain('包内没有 Doc_0/Pages/Page_9/Content.xml');
    expect(broken.problems.join('\n')).toContain('引用的字体 99999 不存在');
    expect(broken.problems.join('\n')).toContain('Doc_0/Pages/Page_1/Content.xml 没有被 Document.xml 的 Pages 引用');
    zip.file('Doc_0/Pages/Page_0/Content.xml', content);
    zip.file('Doc_0/Document.xml', document);
  });

  it('the checker is as strict as the schema: an undeclared attribute, a bad ST_Box, a CGTransform not followed by its TextCode', async () => {
    const zip = pkg.zip;
    const content = pkg.files.get('Doc_0/Pages/Page_0/Content.xml')!;
    const document = pkg.files.get('Doc_0/Document.xml')!;
    zip.file(
      'Doc_0/Pages/Page_0/Content.xml',
      content
        .replace(/<ofd:TextObject ID="(\d+)"/, '<ofd:TextObject ID="$1" Colour="red"') // not an attribute of CT_Text
        .replace(/(<ofd:PathObject ID="\d+" Boundary=")[^"]*"/, '$10 0 156"'), // three numbers
    );
    zip.file('Doc_0/Document.xml', document.replace('<ofd:PhysicalBox>0 0 210 297<', '<ofd:PhysicalBox>0 0 210 0<'));
    const broken = await readOfd(await zip.generateAsync({ type: 'nodebuffer' }));
    zip.file('Doc_0/Pages/Page_0/Content.xml', content);
    zip.file('Doc_0/Document.xml', document);
    const all = broken.problems.join('\n');
    expect(all).toContain('Doc_0/Pages/Page_0/Content.xml: TextObject 的属性 Colour 未在标准中为该元素声明');
    expect(all).toContain('Doc_0/Pages/Page_0/Content.xml: PathObject 属性 Boundary="0 0 156" 不符合类型');
    expect(all).toContain('Doc_0/Document.xml: PhysicalBox 内容“0 0 210 0”不符合类型'); // ST_Box: width and height above 0

    // CT_Text: (CGTransform 0..n, TextCode) repeated, so CGTransforms and TextCodes interleave, each TextCode after its own CGTransforms
    const page = (text: string) =>
      `<ofd:Page xmlns:ofd="${OFD_NS}"><ofd:Content><ofd:Layer ID="2"><ofd:TextObject ID="3" Boundary="0 0 10 10" Font="1" Size="3.5">` +
      `${text}</ofd:TextObject></ofd:Layer></ofd:Content></ofd:Page>`;
    const cg = '<ofd:CGTransform CodePosition="0" CodeCount="1" GlyphCount="1"><ofd:Glyphs>12</ofd:Glyphs></ofd:CGTransform>';
    expect(
      checkOfdPart(
        'p.xml',
        page(
          `<ofd:FillColor Value="230 0 18"/>${cg}<ofd:TextCode X="0" Y="3">中</ofd:TextCode>${cg}${cg}<ofd:TextCode X="4" Y="3">共</ofd:TextCode><ofd:TextCode X="8" Y="3">党</ofd:TextCode>`,
        ),
      ),
    ).toEqual([]);
    expect(checkOfdPart('p.xml', page(`<ofd:TextCode X="0" Y="3">中</ofd:TextCode>${cg}`))).toEqual(['p.xml: TextObject 缺少子元素 TextCode']);
    expect(checkOfdPart('p.xml', page(`${cg}<ofd:FillColor Value="0 0 0"/><ofd:TextCode X="0" Y="3">中</ofd:TextCode>`))).toEqual([
      'p.xml: TextObject 缺少子元素 TextCode',
      'p.xml: TextObject 的子元素 FillColor 不在规定的位置或不允许',
    ]);
    expect(checkOfdPart('p.xml', page(''))).toEqual(['p.xml: TextObject 缺少子元素 (CGTransform* TextCode)']);
    // lexical types of the writer's attributes: xs:boolean, xs:double, ST_Array with DeltaX's g runs, ST_RefID
    expect(
      checkOfdPart(
        'p.xml',
        page('<ofd:TextCode X="0" Y="3" DeltaX="g 2">中共党</ofd:TextCode>').replace('Font="1" Size="3.5"', 'Font="F1" Size="3,5" Fill="yes" LineWidth="1e-1"'),
      ),
    ).toEqual([
      'p.xml: TextObject 属性 Font="F1" 不符合类型',
      'p.xml: TextObject 属性 Size="3,5" 不符合类型',
      'p.xml: TextObject 属性 Fill="yes" 不符合类型',
      'p.xml: TextCode 属性 DeltaX="g 2" 不符合类型',
    ]);
  });

  it('DocInfo carries the title, the issuing organ, the 发文字号, the signing day and the document’s ID', async () => {
    const doc = await prisma.document.findUniqueOrThrow({ where: { id: docId } });
    expect(pkg.docInfo).toMatchObject({
      DocID: docId.replace(/-/g, ''),
      Title: title,
      Author: '中共达州市达川区版式乡委员会',
      Subject: docNumber,
      CreationDate: DateTime.fromJSDate(doc.signedAt!, { zone: 'Asia/Shanghai' }).toISODate(),
    });
    expect(pkg.files.get('OFD.xml')).toContain(`<ofd:CustomData Name="PDF文件SHA256">${doc.pdfSha256}</ofd:CustomData>`);
  });

  it('every page’s text equals the archived PDF’s, drawn in embedded subsets of the 公文 fonts', async () => {
    expect(pkg.pages.length).toBeGreaterThanOrEqual(3);
    await expectSameTextAsPdf(pkg, pdfFile);
  });

  it('the title and the first body line sit within 1 mm of the PDF’s; the characters keep the PDF’s pitch', async () => {
    for (const text of ['中共大滩乡委员会关于', '各村（社区）党支部，机关、学校党支部：', '一、开展班子引领行动，建强脱贫攻坚核心']) {
      const { word, ofd } = await placement(pkg, pdfFile, 1, text);
      expect(Math.abs(ofd.xMin - word.xMin)).toBeLessThan(1);
      expect(Math.abs(ofd.yMin - word.yMin)).toBeLessThan(1);
      expect(Math.abs(ofd.yMax - word.yMax)).toBeLessThan(1);
    }
    // a full body line spans the 156 mm text block: 28 characters, the last one 27 pitches to the right of the first
    const full = pkg.pages[0].texts.find((t) => t.chars.length === 28 && t.size < 6)!;
    expect(full.chars[0].x).toBeCloseTo(28, 0);
    expect(full.chars[27].x - full.chars[0].x).toBeCloseTo((156 / 28) * 27, 0);
  });

  it('the red 发文机关标志, the red separator and the seal are there in red, where the PDF has them', () => {
    const red = '230 0 18';
    const mark = pkg.pages[0].texts.find((t) => t.chars.map((c) => c.ch).join('') === '中共版式乡委员会文件')!;
    expect(mark.color).toBe(red);
    const pdfMark = pdfWords(pdfFile, 1).find((w) => w.text === '中共版式乡委员会文件')!;
    expect(Math.abs(mark.chars[0].x - pdfMark.xMin)).toBeLessThan(1);
    const rules = pkg.pages[0].paths.filter((p) => p.getElementsByTagNameNS('http://www.ofdspec.org/2016', 'FillColor')[0]?.getAttribute('Value') === red);
    const boxes = rules.map((p) => p.getAttribute('Boundary')!.split(' ').map(Number));
    // the separator: 156 mm wide from the left margin (a Party organ's breaks around its star, so count the pieces' span)
    const left = Math.min(...boxes.map((b) => b[0]));
    const right = Math.max(...boxes.map((b) => b[0] + b[2]));
    expect(left).toBeCloseTo(28, 0);
    expect(right - left).toBeCloseTo(156, 0);
    // the 电子印章 (the demo seal: a 42 mm ring with its star and letters) on the signature page
    const sealPage = pkg.pages.find((p) => p.paths.some((x) => x.getAttribute('Stroke') === 'true'))!;
    const ring = sealPage.paths.find((x) => x.getAttribute('Stroke') === 'true')!;
    expect(Number(ring.getAttribute('Boundary')!.split(' ')[2])).toBeCloseTo(42, 0);
    expect(sealPage.texts.filter((t) => t.color === red).length).toBeGreaterThan(5);
  });

  it('drawn from the package alone (its embedded fonts, Boundary and CTM, DeltaX), every page covers the PDF’s page: black and red ink alike', async () => {
    const dpi = 100;
    const ofdPages = await rasterizeOfd(pkg, dpi);
    for (let i = 0; i < ofdPages.length; i++) {
      const pdfPage = rasterize(pdfFile, i + 1, dpi);
      const dark = inkMismatch(pdfPage, ofdPages[i], 'dark');
      const red = inkMismatch(pdfPage, ofdPages[i], 'red');
      // anti-aliasing differs between poppler and Chromium; a glyph, rule or seal out of place by 0.5 mm shows
      expect({ page: i + 1, dark: dark.share < 0.03, red: red.share < 0.03 }).toEqual({ page: i + 1, dark: true, red: true });
      expect(Math.abs(dark.inkA - dark.inkB)).toBeLessThan(0.1 * dark.inkA + 50);
      expect(Math.abs(red.inkA - red.inkB)).toBeLessThan(0.1 * red.inkA + 50);
    }
  });

  it('a draft has no OFD, like it has no PDF', async () => {
    expect((await staff.get(`/api/documents/${draftId}/ofd`).expect(404)).body.message).toContain('已印发的公文 PDF');
  });

  it('npm run cli -- render model.json --ofd out.ofd writes the package beside the PDF, or alone without --out; a PNG seal becomes an image resource', async () => {
    const seal = new PNG({ width: 64, height: 64 });
    for (let i = 0; i < 64 * 64; i++) seal.data.set([230, 0, 18, i % 64 < 32 ? 255 : 0], i * 4);
    const model = {
      ...standardNotice(2),
      attachments: undefined,
      seal: `data:image/png;base64,${PNG.sync.write(seal).toString('base64')}`,
    };
    const modelFile = path.join(dir, 'model.json');
    fs.writeFileSync(modelFile, JSON.stringify(model));
    const out = path.join(dir, 'cli.pdf');
    const ofd = path.join(dir, 'cli.ofd');
    const r = cli('render', modelFile, '--out', out, '--ofd', ofd);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain(`已生成：${out}、${ofd}`);
    const cliPkg = await readOfd(fs.readFileSync(ofd));
    expect(cliPkg.problems).toEqual([]);
    expect(cliPkg.docInfo).toMatchObject({ Title: model.title, Author: model.issuers[0].name, Subject: '大滩委发〔2017〕58号', CreationDate: '2017-04-21' });
    await expectSameTextAsPdf(cliPkg, out);
    const images = cliPkg.pages.flatMap((p) => p.images);
    expect(images).toHaveLength(1);
    const png = PNG.sync.read(await cliPkg.zip.file(cliPkg.media.get(images[0].getAttribute('ResourceID')!)!)!.async('nodebuffer'));
    expect([png.width, png.height]).toEqual([64, 64]);
    expect(Number(images[0].getAttribute('Boundary')!.split(' ')[2])).toBeCloseTo(42, 0); // the seal is 42 mm across

    // --ofd alone: the package only, the same pages, no PDF left anywhere
    const onlyDir = fs.mkdtempSync(path.join(dir, 'only-'));
    const only = path.join(onlyDir, 'only.ofd');
    const r2 = cli('render', modelFile, '--ofd', only);
    expect([r2.code, r2.err, r2.out]).toEqual([0, '', `已生成：${only}\n`]);
    expect(fs.readdirSync(onlyDir)).toEqual(['only.ofd']);
    const onlyPkg = await readOfd(fs.readFileSync(only));
    expect(onlyPkg.problems).toEqual([]);
    expect(onlyPkg.docInfo).toMatchObject({ Title: model.title, Subject: '大滩委发〔2017〕58号' });
    await expectSameTextAsPdf(onlyPkg, out);
    expect(onlyPkg.pages.flatMap((p) => p.images)).toHaveLength(1);

    const none = cli('render', modelFile);
    expect(none.code).toBe(2);
    expect(none.err).toContain('请用 --out <文件> 指定 PDF');
  });
});

describe('OFD export of every 公文 format: the same text and the same picture as the PDF', () => {
  const exporter = new OfdExporter();
  afterAll(() => exporter.close());

  const party = (): DocumentModel => ({ ...standardNotice(3), issuers: [{ ...standardNotice().issuers[0], kind: 'party' }] }) as DocumentModel;
  it.each([
    ['信函格式', letter],
    ['纪要格式', minutes],
    ['命令格式', order],
    ['党的机关（红线中间有五角星）', party],
  ])('%s', async (name, make) => {
    const renderer = await startRenderer(1);
    let pdfFile: string;
    try {
      pdfFile = await renderToFile(renderer, make(), `ofd-${name}`);
    } finally {
      await renderer.close();
    }
    const pkg = await readOfd(await exporter.fromPdf(fs.readFileSync(pdfFile), ofdInfoOf(make())));
    expect(pkg.problems).toEqual([]);
    await expectSameTextAsPdf(pkg, pdfFile);
    const ofdPages = await rasterizeOfd(pkg, 100);
    for (let i = 0; i < ofdPages.length; i++) {
      const pdfPage = rasterize(pdfFile, i + 1, 100);
      const shares = { page: i + 1, dark: inkMismatch(pdfPage, ofdPages[i], 'dark').share < 0.03, red: inkMismatch(pdfPage, ofdPages[i], 'red').share < 0.03 };
      expect(shares).toEqual({ page: i + 1, dark: true, red: true });
    }
  });
});
