/**
 * Render benchmark (design.md targets): a 2-page directive with a warm browser
 * (p50 ≤ 150 ms, ≥ 8 documents/s at concurrency 2) against launching a browser per
 * document (the warm path must be ≥ 5× faster).
 * In the same run it measures a baseline that does not depend on the machine: a bare
 * Chromium (same flags) doing page.setContent + page.pdf of the same finished HTML (the
 * product's own preview, 版记 already placed) with the same installed fonts, at the
 * same concurrency. product ÷ baseline is the product's overhead (goal ≤ 1.3×).
 * Run: npm run bench -- render   → table + artifacts/bench/render.json
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DocumentModel } from '../apps/server/src/documents/model';
import puppeteer, { Page } from 'puppeteer-core';
import { DocumentRenderer } from '../apps/server/src/documents/render';
import { CHROME_ARGS } from '../apps/server/src/documents/render/document-renderer';
import { OfdExporter, ofdInfoOf } from '../apps/server/src/documents/ofd/ofd-exporter';
import { PdfContentReader } from '../apps/server/src/documents/ofd/pdf-content';
import { demoSealSvg } from '../apps/server/src/documents/signing/demo-seal';
import { loadPkcs12, selfSignedPkcs12, signPdf } from '../apps/server/src/documents/signing/pdf-signature';
import { twoPageDirective } from '../test/integration/documents/sample-documents';

export interface BenchOptions {
  chromePath: string;
  /** sequential warm renders measured for p50/p95 */
  warmDocs?: number;
  /** documents rendered for the throughput figure */
  throughputDocs?: number;
  concurrency?: number;
  /** documents rendered with a browser launch each */
  coldDocs?: number;
  model?: DocumentModel;
}

export interface Stats {
  p50Ms: number;
  p95Ms: number;
  docsPerSecond: number;
}

export interface Result {
  machine: { cpus: number; node: string; loadAverage: number[] };
  concurrency: number;
  pagesPerDocument: number;
  warm: Stats;
  /** bare setContent + pdf of the same HTML and fonts, same browser flags and concurrency */
  baseline: Stats;
  /** warm ÷ baseline: p50 latency and documents/s (inverted, so > 1 means slower than the baseline) */
  overhead: { p50: number; throughput: number };
  /** where the warm p50 goes: the DOM swap and layout (preview) alone */
  phases: { swapAndLayoutP50Ms: number };
  /** issuing with the organ's seal and PAdES signature: sealed render, signing alone, and what both add to the warm p50 (goal ≤ 20 ms) */
  signing: { sealedRenderP50Ms: number; signP50Ms: number; addedP50Ms: number };
  /**
   * OFD export (GB/T 33190) of the sealed PDF, apart from rendering: reading the PDF's glyphs, rules and images back
   * (pdf.js in a worker thread) and writing the package (font subsets, XML, zip). firstMs: the first export of a
   * process, which starts the worker and loads pdf.js and the font files.
   */
  ofd: { firstMs: number; exportP50Ms: number; exportP95Ms: number; readP50Ms: number; bytes: number };
  cold: Stats;
  /** warm documents/s ÷ cold documents/s, both at the same concurrency */
  speedup: number;
  targets: { warmP50: boolean; throughput: boolean; speedup: boolean; overhead: boolean; signing: boolean };
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
};
const r1 = (n: number) => Math.round(n * 10) / 10;

async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t = process.hrtime.bigint();
  const v = await fn();
  return [Number(process.hrtime.bigint() - t) / 1e6, v];
}

/** Runs `total` jobs with `concurrency` workers; returns each job's latency and the wall time. */
async function pool(total: number, concurrency: number, job: () => Promise<unknown>): Promise<{ latencies: number[]; wallMs: number }> {
  const latencies: number[] = [];
  let next = 0;
  const [wallMs] = await timed(() =>
    Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next++ < total) latencies.push((await timed(job))[0]);
      }),
    ),
  );
  return { latencies, wallMs };
}

export async function benchRender(opts: BenchOptions): Promise<Result> {
  const concurrency = opts.concurrency ?? 2;
  const model = opts.model ?? twoPageDirective();
  const warmDocs = opts.warmDocs ?? 40;
  const throughputDocs = opts.throughputDocs ?? 60;
  const coldDocs = opts.coldDocs ?? 8;

  const renderer = new DocumentRenderer({ chromePath: opts.chromePath, concurrency });
  await renderer.start();
  const bare = await Bare.start(opts.chromePath, concurrency);
  let pages = 0;
  let warm: Stats;
  let baseline: Stats;
  let swapP50: number;
  let signing: Result['signing'];
  let ofd: Result['ofd'];
  try {
    for (let i = 0; i < 5; i++) await renderer.renderPdf(model); // warm the pages and the font caches
    const pdf = await renderer.renderPdf(model);
    pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
    const html = await renderer.renderHtml(model);
    for (let i = 0; i < 5; i++) await bare.pdf(html);
    // Interleaved in halves, so a change in the machine's load hits both sides alike.
    const half = Math.ceil(warmDocs / 2);
    const seq = [...(await pool(half, 1, () => renderer.renderPdf(model))).latencies];
    const bseq = [...(await pool(half, 1, () => bare.pdf(html))).latencies];
    seq.push(...(await pool(half, 1, () => renderer.renderPdf(model))).latencies);
    bseq.push(...(await pool(half, 1, () => bare.pdf(html))).latencies);
    const par = await pool(throughputDocs, concurrency, () => renderer.renderPdf(model));
    const bpar = await pool(throughputDocs, concurrency, () => bare.pdf(html));
    const swaps = await pool(half, 1, () => renderer.renderHtml(model));
    swapP50 = r1(pct(swaps.latencies, 50));
    warm = { p50Ms: r1(pct(seq, 50)), p95Ms: r1(pct(seq, 95)), docsPerSecond: r1((throughputDocs / par.wallMs) * 1000) };
    // Sealed and signed, as issuing does for an organ with a signing identity (a demo key and seal).
    const key = loadPkcs12(selfSignedPkcs12('中共大滩乡委员会', 'bench'), 'bench');
    const sealed = { ...model, seal: `data:image/svg+xml;base64,${Buffer.from(demoSealSvg('中共大滩乡委员会')).toString('base64')}` } as DocumentModel;
    const sign = (bytes: Buffer) => signPdf(bytes, key, { name: '中共大滩乡委员会', reason: '签发', location: '大滩乡', signingTime: new Date() });
    for (let i = 0; i < 3; i++) await sign(await renderer.renderPdf(sealed));
    const sealedPdf = await renderer.renderPdf(sealed);
    const sealedSeq = await pool(half, 1, () => renderer.renderPdf(sealed));
    const plainSeq = await pool(half, 1, () => renderer.renderPdf(model));
    const signSeq = await pool(half, 1, () => sign(sealedPdf));
    const both = await pool(half, 1, async () => sign(await renderer.renderPdf(sealed)));
    signing = {
      sealedRenderP50Ms: r1(pct(sealedSeq.latencies, 50)),
      signP50Ms: r1(pct(signSeq.latencies, 50)),
      addedP50Ms: r1(pct(both.latencies, 50) - pct(plainSeq.latencies, 50)),
    };
    baseline = { p50Ms: r1(pct(bseq, 50)), p95Ms: r1(pct(bseq, 95)), docsPerSecond: r1((throughputDocs / bpar.wallMs) * 1000) };
    ofd = await benchOfd(sealedPdf, ofdInfoOf(sealed), half);
  } finally {
    await renderer.close();
    await bare.close();
  }

  // Baseline: a browser launched (and closed) for every document.
  const coldJob = async () => {
    const r = new DocumentRenderer({ chromePath: opts.chromePath, concurrency: 1 });
    await r.start();
    try {
      await r.renderPdf(model);
    } finally {
      await r.close();
    }
  };
  const coldSeq = await pool(Math.max(2, Math.floor(coldDocs / 2)), 1, coldJob);
  const coldPar = await pool(coldDocs, concurrency, coldJob);
  const cold = { p50Ms: r1(pct(coldSeq.latencies, 50)), p95Ms: r1(pct(coldSeq.latencies, 95)), docsPerSecond: r1((coldDocs / coldPar.wallMs) * 1000) };
  const speedup = r1(warm.docsPerSecond / cold.docsPerSecond);
  const r2 = (n: number) => Math.round(n * 100) / 100;
  const overhead = { p50: r2(warm.p50Ms / baseline.p50Ms), throughput: r2(baseline.docsPerSecond / warm.docsPerSecond) };
  return {
    machine: { cpus: os.cpus().length, node: process.version, loadAverage: os.loadavg().map((n) => Math.round(n * 100) / 100) },
    concurrency,
    pagesPerDocument: pages,
    warm,
    baseline,
    overhead,
    phases: { swapAndLayoutP50Ms: swapP50 },
    signing,
    ofd,
    cold,
    speedup,
    targets: {
      warmP50: warm.p50Ms <= 150,
      throughput: warm.docsPerSecond >= 8,
      speedup: speedup >= 5,
      overhead: overhead.p50 <= 1.3 && overhead.throughput <= 1.3,
      signing: signing.addedP50Ms <= 20,
    },
  };
}

/** OFD export of one PDF: the first (cold) export, then `runs` warm exports and reads alone, sequentially. */
async function benchOfd(pdf: Buffer, info: ReturnType<typeof ofdInfoOf>, runs: number): Promise<Result['ofd']> {
  const exporter = new OfdExporter();
  const reader = new PdfContentReader();
  try {
    const [firstMs, first] = await timed(() => exporter.fromPdf(pdf, info));
    for (let i = 0; i < 3; i++) await exporter.fromPdf(pdf, info);
    const exports = await pool(runs, 1, () => exporter.fromPdf(pdf, info));
    await reader.read(pdf);
    const reads = await pool(runs, 1, () => reader.read(pdf));
    return {
      firstMs: r1(firstMs),
      exportP50Ms: r1(pct(exports.latencies, 50)),
      exportP95Ms: r1(pct(exports.latencies, 95)),
      readP50Ms: r1(pct(reads.latencies, 50)),
      bytes: first.length,
    };
  } finally {
    await exporter.close();
    await reader.close();
  }
}

/** The baseline: a browser with the renderer's flags and pages that only setContent + pdf, nothing of the product. */
class Bare {
  private readonly idle: Page[] = [];
  private constructor(private readonly browser: import('puppeteer-core').Browser) {}

  static async start(chromePath: string, concurrency: number): Promise<Bare> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-bare-'));
    const browser = await puppeteer.launch({ executablePath: chromePath, headless: true, pipe: true, args: [...CHROME_ARGS, `--user-data-dir=${dir}`] });
    const b = new Bare(browser);
    for (let i = 0; i < concurrency; i++) b.idle.push(await browser.newPage());
    return b;
  }

  async pdf(html: string): Promise<Buffer> {
    const page = this.idle.pop()!;
    try {
      await page.setContent(html, { waitUntil: 'load' });
      return Buffer.from(await page.pdf({ preferCSSPageSize: true, printBackground: true }));
    } finally {
      this.idle.push(page);
    }
  }

  close(): Promise<void> {
    return this.browser.close();
  }
}

async function main(): Promise<void> {
  const result = await benchRender({ chromePath: process.env.CHROME_PATH || '/usr/bin/chromium' });
  const ok = (b: boolean) => (b ? 'ok' : 'MISSED');
  console.log(`render bench: ${result.pagesPerDocument}-page directive, concurrency ${result.concurrency}, ${result.machine.cpus} cores`);
  console.log(`load average ${result.machine.loadAverage.join(' ')} (1/5/15 min)`);
  console.table({
    warm: { ...result.warm },
    'baseline (bare setContent + pdf)': { ...result.baseline },
    'cold (browser per document)': { ...result.cold },
  });
  console.log(`DOM swap and layout alone (preview) p50 ${result.phases.swapAndLayoutP50Ms} ms`);
  console.log(
    `seal + PAdES signature: sealed render p50 ${result.signing.sealedRenderP50Ms} ms, signing alone p50 ${result.signing.signP50Ms} ms, added to the warm p50 ${result.signing.addedP50Ms} ms (goal ≤ 20: ${ok(result.targets.signing)})`,
  );
  console.log(
    `OFD export of the sealed PDF (not in the render figures): p50 ${result.ofd.exportP50Ms} ms, p95 ${result.ofd.exportP95Ms} ms, of which reading the PDF back p50 ${result.ofd.readP50Ms} ms; first export in a process ${result.ofd.firstMs} ms; ${Math.round(result.ofd.bytes / 1024)} KiB`,
  );
  console.log(`product ÷ baseline: p50 ${result.overhead.p50}×, throughput ${result.overhead.throughput}× (goal ≤ 1.3: ${ok(result.targets.overhead)})`);
  console.log(`warm p50 ${result.warm.p50Ms} ms (target ≤ 150: ${ok(result.targets.warmP50)})`);
  console.log(`warm throughput ${result.warm.docsPerSecond} documents/s (target ≥ 8: ${ok(result.targets.throughput)})`);
  console.log(`speed-up over cold ${result.speedup}× (target ≥ 5: ${ok(result.targets.speedup)})`);
  const out = path.resolve(__dirname, '../artifacts/bench/render.json');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, JSON.stringify(result, null, 2));
  console.log(`written ${path.relative(process.cwd(), out)}`);
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
