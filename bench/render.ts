/**
 * Render benchmark (design.md targets): a 2-page directive with a warm browser
 * (p50 ≤ 150 ms, ≥ 8 documents/s at concurrency 2) against launching a browser per
 * document (the warm path must be ≥ 5× faster).
 * Run: node -r @swc-node/register bench/render.ts   → table + artifacts/bench/render.json
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DocumentModel } from '../apps/server/src/documents/model';
import { DocumentRenderer } from '../apps/server/src/documents/render';
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
  machine: { cpus: number; node: string };
  concurrency: number;
  pagesPerDocument: number;
  warm: Stats;
  cold: Stats;
  /** warm documents/s ÷ cold documents/s, both at the same concurrency */
  speedup: number;
  targets: { warmP50: boolean; throughput: boolean; speedup: boolean };
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
  let pages = 0;
  let warm: Stats;
  try {
    for (let i = 0; i < 5; i++) await renderer.renderPdf(model); // warm the pages and the font caches
    const pdf = await renderer.renderPdf(model);
    pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
    const seq = await pool(warmDocs, 1, () => renderer.renderPdf(model));
    const par = await pool(throughputDocs, concurrency, () => renderer.renderPdf(model));
    warm = { p50Ms: r1(pct(seq.latencies, 50)), p95Ms: r1(pct(seq.latencies, 95)), docsPerSecond: r1((throughputDocs / par.wallMs) * 1000) };
  } finally {
    await renderer.close();
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
  return {
    machine: { cpus: os.cpus().length, node: process.version },
    concurrency,
    pagesPerDocument: pages,
    warm,
    cold,
    speedup,
    targets: { warmP50: warm.p50Ms <= 150, throughput: warm.docsPerSecond >= 8, speedup: speedup >= 5 },
  };
}

async function main(): Promise<void> {
  const result = await benchRender({ chromePath: process.env.CHROME_PATH || '/usr/bin/chromium' });
  const ok = (b: boolean) => (b ? 'ok' : 'MISSED');
  console.log(`render bench: ${result.pagesPerDocument}-page directive, concurrency ${result.concurrency}, ${result.machine.cpus} cores`);
  console.table({
    warm: { ...result.warm },
    'cold (browser per document)': { ...result.cold },
  });
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
