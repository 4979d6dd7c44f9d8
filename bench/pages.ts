/**
 * Page speed benchmark (issue 17, point 10): the login, inbox, filing and directive pages measured with Lighthouse
 * (the npm package) driving the Debian Chromium (CHROME_PATH, default /usr/bin/chromium; nothing is downloaded) in
 * Lighthouse's default mobile emulation and simulated throttling (Moto G Power screen, slow 4G, 4× CPU slowdown).
 * Per page: performance score, LCP, FCP, TBT, CLS and bytes transferred; each page runs --runs times (default 3) and
 * each figure is the median of the runs. Targets: performance ≥ 90 and LCP ≤ 1.5 s.
 *
 * Everything is its own, as in the other server benches: a fresh PostgreSQL database (dropped at the end), an
 * in-memory Temporal dev server on a free port, the server and worker from dist/ as separate processes on a unique
 * task queue. The world is small: a committee, three branches, one directive with a 填报 requirement drafted, approved
 * and issued through the API to the first branch, whose secretary is the one measured. For the authenticated pages
 * that secretary logs in through the login form in the same Chromium (puppeteer-core), so Lighthouse's tab carries the
 * real session cookie; Lighthouse's storage reset (which would clear that cookie) is off for those runs and the browser
 * cache is cleared before each run instead, so every run is still a first load in a fresh browser.
 *
 * Baseline, in the same run and measured the same way: a nearly empty static HTML page (a heading and a paragraph,
 * no CSS or script) from node:http, so each page's figures can be read against what this machine and Lighthouse's
 * simulation give for nothing (the load average at each page is recorded too; the machine is shared).
 *
 *   npm run bench -- pages [--runs 3] [--keep-db]
 *     → artifacts/bench/pages.json
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import puppeteer from 'puppeteer-core';
import { Role } from '../apps/server/src/prisma/client';
import { twoPageDirective } from '../test/integration/documents/sample-documents';
import { ensureDistBuild } from './lib/build';
import { draftAndSubmit } from './lib/directives';
import { startBenchEnvironment } from './lib/environment';
import { cookieFor, HttpSession } from './lib/http-session';
import { startAppProcesses } from './lib/app-processes';
import { freePort, until } from './lib/processes';
import { loadAverage, otherRuns } from './lib/quiet';
import { PASSWORD, seedTownship } from './lib/township';

const TARGETS = { performance: 90, lcpMs: 1500 };
/** Audits worth reading when a page misses: what blocks rendering, what is large, what is not compressed or cached. */
const DIAGNOSTICS = [
  'server-response-time',
  'render-blocking-resources',
  'uses-text-compression',
  'uses-long-cache-ttl',
  'unused-javascript',
  'unused-css-rules',
  'unminified-javascript',
  'unminified-css',
  'font-display',
  'largest-contentful-paint-element',
  'lcp-lazy-loaded',
  'mainthread-work-breakdown',
  'bootup-time',
  'network-requests',
];
/** Runs of one page that may be repeated after a Lighthouse runtime error. */
const MAX_RETRIES = 3;
/** Kept whatever their score: where the time went. */
const ALWAYS = ['server-response-time', 'largest-contentful-paint-element', 'network-requests'];

interface Options {
  runs: number;
  keepDb: boolean;
}

/** The parts of a Lighthouse result (LH.Result) this bench reads; lighthouse is an ES module, imported at run time. */
interface Audit {
  id: string;
  title: string;
  score: number | null;
  numericValue?: number;
  displayValue?: string;
  details?: { type: string; overallSavingsMs?: number; items?: Record<string, unknown>[] };
}
interface Lhr {
  finalDisplayedUrl: string;
  runtimeError?: { code: string; message: string };
  runWarnings: string[];
  categories: { performance: { score: number | null } };
  audits: Record<string, Audit>;
  configSettings: { formFactor: string; throttlingMethod: string; throttling: Record<string, number>; screenEmulation: Record<string, unknown> };
  lighthouseVersion: string;
  environment: { hostUserAgent: string; benchmarkIndex: number };
}
type LighthouseFn = (url: string, flags: Record<string, unknown>) => Promise<{ lhr: Lhr } | undefined>;
interface Launched {
  port: number;
  kill(): void | Promise<void>;
}

interface Figures {
  performance: number;
  lcpMs: number;
  fcpMs: number;
  tbtMs: number;
  cls: number;
  transferBytes: number;
  /** Time to first byte of the document as Lighthouse saw it (server-response-time), unthrottled. */
  serverResponseMs: number;
}

interface PageResult {
  name: string;
  path: string;
  authenticated: boolean;
  /** Median of the runs, figure by figure. */
  median: Figures;
  runs: Figures[];
  /** Runs Lighthouse gave up on (runtimeError) and that were run again. */
  retries: number;
  /** 1-minute load average before the page's first run; other test runs or benches running then. */
  loadAverageBefore: number;
  othersRunning: number;
  met: { performance: boolean; lcp: boolean };
  /** The page's answer time on a warm server (sequential GETs with the session, no browser), apart from Lighthouse. */
  serverWarm?: ServerTime;
  /** From the run whose performance score is the median: the audits in DIAGNOSTICS that did not pass, with their details. */
  diagnostics: { id: string; title: string; score: number | null; displayValue?: string; items?: Record<string, unknown>[] }[];
}

export interface Result {
  machine: { cpus: number; node: string; loadAverage: [number, number, number]; chromium: string; lighthouse: string; benchmarkIndex: number };
  build: string;
  settings: { formFactor: string; throttlingMethod: string; throttling: Record<string, number>; runs: number };
  targets: typeof TARGETS;
  baseline: PageResult;
  pages: PageResult[];
  /** page median ÷ baseline median, for LCP and FCP. */
  ratioToBaseline: Record<string, { lcp: number; fcp: number }>;
}

function parseArgs(argv: string[]): Options {
  const opts: Options = { runs: 3, keepDb: false };
  for (let i = 0; i < argv.length; i++) {
    const [a, inline] = argv[i].split('=');
    const val = () => inline ?? argv[++i];
    if (a === '--runs') {
      const n = Number(val());
      if (!Number.isInteger(n) || n < 1 || n > 15) throw new Error('--runs 必须是 1 到 15 之间的整数');
      opts.runs = n;
    } else if (a === '--keep-db') opts.keepDb = true;
    else throw new Error(`未知选项 ${a}（可用：--runs N、--keep-db）`);
  }
  return opts;
}

/** A native import() (swc would turn `import()` into require(), which cannot load these ES modules). */
const esm = new Function('specifier', 'return import(specifier)') as <T>(specifier: string) => Promise<T>;

const median = (values: number[]) => {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const SERVER_SAMPLES = 30;
interface ServerTime {
  p50Ms: number;
  p95Ms: number;
}

/** Time to the whole answer of one page, measured SERVER_SAMPLES times one after another after 5 unmeasured GETs. */
async function serverTime(url: string, cookie?: string): Promise<ServerTime> {
  const times: number[] = [];
  for (let i = 0; i < SERVER_SAMPLES + 5; i++) {
    const t0 = performance.now();
    const res = await fetch(url, { headers: cookie ? { cookie } : {}, redirect: 'manual' });
    await res.arrayBuffer();
    if (i >= 5) times.push(performance.now() - t0);
  }
  const s = times.sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 10) / 10;
  return { p50Ms: round(median(s)), p95Ms: round(s[Math.ceil(s.length * 0.95) - 1]) };
}

/** The baseline: a nearly empty static page from node:http (no CSS, no script, no compression). */
async function startBaselinePage(): Promise<{ url: string; close: () => Promise<void> }> {
  const html =
    '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">' +
    '<title>基线</title></head><body><h1>基线页面</h1><p>一个几乎为空的静态页面，用来衡量本机与 Lighthouse 模拟本身的开销。</p></body></html>';
  const server = http.createServer((req, res) => {
    if (req.url === '/') res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
    else res.writeHead(404).end();
  });
  const port = await freePort();
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((r) => server.close(() => r())) };
}

function figuresOf(lhr: Lhr): Figures {
  const n = (id: string) => lhr.audits[id]?.numericValue ?? NaN;
  return {
    performance: Math.round((lhr.categories.performance.score ?? NaN) * 100),
    lcpMs: Math.round(n('largest-contentful-paint')),
    fcpMs: Math.round(n('first-contentful-paint')),
    tbtMs: Math.round(n('total-blocking-time')),
    cls: Math.round(n('cumulative-layout-shift') * 1000) / 1000,
    transferBytes: Math.round(n('total-byte-weight')),
    serverResponseMs: Math.round(n('server-response-time')),
  };
}

interface Measurer {
  measure(name: string, url: string, authenticated: boolean): Promise<PageResult>;
  /** Logs in through the login form in the measuring browser (its cookie is then sent by Lighthouse's tab). */
  login(base: string, username: string): Promise<void>;
  lastLhr?: Lhr;
  close(): Promise<void>;
}

async function startMeasurer(opts: Options): Promise<Measurer> {
  const chromePath = process.env.CHROME_PATH ?? '/usr/bin/chromium';
  const { default: lighthouse } = await esm<{ default: LighthouseFn }>('lighthouse');
  const chromeLauncher = await esm<{ launch: (o: Record<string, unknown>) => Promise<Launched> }>('chrome-launcher');
  const chrome = await chromeLauncher.launch({
    chromePath,
    chromeFlags: ['--headless=new', '--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
    logLevel: 'silent',
  });
  const browser = await puppeteer.connect({ browserURL: `http://127.0.0.1:${chrome.port}`, defaultViewport: null });
  const helper = await browser.newPage();
  const cdp = await helper.createCDPSession();
  const measurer: Measurer = {
    async login(base, username) {
      await helper.goto(`${base}/login`, { waitUntil: 'load' });
      await helper.type('input[name=username]', username);
      await helper.type('input[name=password]', PASSWORD);
      await Promise.all([helper.waitForNavigation({ waitUntil: 'load' }), helper.click('form.form button[type=submit]')]);
      if (new URL(helper.url()).pathname !== '/inbox') throw new Error(`${username} 通过登录页登录后到了 ${helper.url()}，不是待办`);
      await helper.goto('about:blank');
    },
    async measure(name, url, authenticated) {
      const loadAverageBefore = Math.round(loadAverage()[0] * 10) / 10;
      const othersRunning = otherRuns().length;
      const runs: { lhr: Lhr; figures: Figures }[] = [];
      let retries = 0;
      for (let i = 0; i < opts.runs; i++) {
        if (authenticated) await cdp.send('Network.clearBrowserCache');
        const result = await lighthouse(url, {
          port: chrome.port,
          output: 'json',
          logLevel: 'error',
          onlyCategories: ['performance'],
          disableStorageReset: authenticated,
        });
        if (!result) throw new Error(`Lighthouse 没有给出 ${name} 的结果`);
        const { lhr } = result;
        if (lhr.runtimeError) {
          // Lighthouse itself says to run again for these (e.g. NO_NAVSTART: the trace missed the navigation, seen under load).
          const message = `Lighthouse 测量 ${name}（${url}）出错：${lhr.runtimeError.code} ${lhr.runtimeError.message}`;
          if (++retries > MAX_RETRIES) throw new Error(message);
          console.warn(`WARNING: ${message}；重测这一次（第 ${retries} 次重测）`);
          i--;
          continue;
        }
        const final = new URL(lhr.finalDisplayedUrl);
        if (final.pathname !== new URL(url).pathname) throw new Error(`${name}：期望停在 ${url}，实际到了 ${lhr.finalDisplayedUrl}（会话无效？）`);
        runs.push({ lhr, figures: figuresOf(lhr) });
        console.log(`  ${name} run ${i + 1}/${opts.runs}: ${JSON.stringify(runs[runs.length - 1].figures)}`);
      }
      const keys = Object.keys(runs[0].figures) as (keyof Figures)[];
      const med = Object.fromEntries(keys.map((k) => [k, median(runs.map((r) => r.figures[k]))])) as unknown as Figures;
      const byScore = [...runs].sort((a, b) => a.figures.performance - b.figures.performance)[Math.floor((runs.length - 1) / 2)].lhr;
      measurer.lastLhr = byScore;
      const diagnostics = DIAGNOSTICS.map((id) => byScore.audits[id])
        .filter((a): a is Audit => !!a && (ALWAYS.includes(a.id) || (a.score !== null && a.score < 0.9)))
        .map((a) => ({ id: a.id, title: a.title, score: a.score, displayValue: a.displayValue, items: a.details?.items?.slice(0, 20) }));
      return {
        name,
        path: new URL(url).pathname,
        authenticated,
        median: med,
        runs: runs.map((r) => r.figures),
        retries,
        loadAverageBefore,
        othersRunning,
        met: { performance: med.performance >= TARGETS.performance, lcp: med.lcpMs <= TARGETS.lcpMs },
        diagnostics,
      };
    },
    close: async () => {
      await browser.disconnect();
      await chrome.kill();
    },
  };
  return measurer;
}

async function run(opts: Options): Promise<Result> {
  const build = ensureDistBuild();
  const bench = await startBenchEnvironment('pages', { keepDb: opts.keepDb });
  const { prisma, client } = bench;
  try {
    const township = await seedTownship(prisma, 3);
    const branchUser = `bench.b1.${township.tag}`;
    await township.person(branchUser, '第1支部书记', township.branchIds[0], Role.BRANCH_SECRETARY);

    const { base } = await startAppProcesses(bench, { name: 'pages' });

    // The world: one directive with a 填报 requirement, drafted, approved and issued through the API to branch 1.
    console.log('issuing a directive with a 填报 requirement through the API…');
    const session = async (username: string) => {
      const s = new HttpSession(base);
      await s.login(username, PASSWORD);
      return s;
    };
    const drafter = await session(township.users.drafter);
    const directiveId = await draftAndSubmit(prisma, client, drafter, {
      model: { ...twoPageDirective(), title: '关于报送2026年度党建工作计划的通知' },
      chain: { reviewers: [township.personIds.reviewer], signerId: township.personIds.secretary },
      distribution: { mode: 'LIST', orgIds: [township.branchIds[0]] },
      requirements: [{ title: '2026年度党建工作计划', template: 'ANNUAL_WORK_PLAN', deadlineKind: 'WORKDAYS', deadlineWorkdays: 5 }],
    });
    for (const [username, who] of [
      [township.users.reviewer, '核稿人'],
      [township.users.secretary, '书记'],
    ] as const) {
      const s = await session(username);
      const stepId = await until(
        `${who}的审批待办`,
        async () =>
          (await s.call<{ items: { data: { stepId: string } }[] }>('GET', `/api/inbox?kind=APPROVAL&directiveId=${directiveId}`)).items[0]?.data.stepId,
        60_000,
      );
      await s.call('POST', `/api/directives/${directiveId}/decisions`, { stepId, decision: 'APPROVE', comment: '同意', version: 1 });
    }
    const filing = await until(
      '填报任务生成',
      async () => prisma.filing.findFirst({ where: { orgId: township.branchIds[0], requirement: { directiveId } }, select: { id: true } }),
      180_000,
      500,
    );
    await until(
      '发文印发',
      async () => (await prisma.directive.findUniqueOrThrow({ where: { id: directiveId }, select: { status: true } })).status === 'ISSUED',
      180_000,
      500,
    );

    const cookie = await cookieFor(base, branchUser, PASSWORD); // for the check below that each page answers 200
    const pages: { name: string; path: string; auth: boolean }[] = [
      { name: '登录 login', path: '/login', auth: false },
      { name: '待办 inbox', path: '/inbox', auth: true },
      { name: '填报 filing', path: `/filings/${filing.id}`, auth: true },
      { name: '发文 directive', path: `/directives/${directiveId}`, auth: true },
    ];
    const serverTimes: Record<string, ServerTime> = {};
    for (const p of pages) {
      const res = await fetch(`${base}${p.path}`, { headers: p.auth ? { cookie } : {}, redirect: 'manual' });
      if (res.status !== 200) throw new Error(`${p.name}：GET ${p.path} → ${res.status}（应为 200）`);
      serverTimes[p.name] = await serverTime(`${base}${p.path}`, p.auth ? cookie : undefined);
    }
    console.log(`server time per page, warm, ${SERVER_SAMPLES} sequential GETs: ${JSON.stringify(serverTimes)}`);

    const baselinePage = await startBaselinePage();
    bench.onCleanup(baselinePage.close);
    const measurer = await startMeasurer(opts);
    bench.onCleanup(() => measurer.close());
    console.log(`Lighthouse, mobile, ${opts.runs} runs per page (load average ${loadAverage().join(' ')})…`);
    const baseline = await measurer.measure('基线 empty static page', baselinePage.url, false);
    const settingsLhr = measurer.lastLhr as Lhr;
    const results: PageResult[] = [];
    // The login page first: its runs reset the origin's storage, cookies included.
    for (const p of pages.filter((x) => !x.auth)) results.push(await measurer.measure(p.name, `${base}${p.path}`, false));
    await measurer.login(base, branchUser);
    for (const p of pages.filter((x) => x.auth)) results.push(await measurer.measure(p.name, `${base}${p.path}`, true));

    for (const r of results) r.serverWarm = serverTimes[r.name];
    const chromium = settingsLhr.environment.hostUserAgent.match(/Chrome\/[\d.]+/)?.[0] ?? settingsLhr.environment.hostUserAgent;
    const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;
    return {
      machine: {
        cpus: os.cpus().length,
        node: process.version,
        loadAverage: loadAverage(),
        chromium,
        lighthouse: settingsLhr.lighthouseVersion,
        benchmarkIndex: settingsLhr.environment.benchmarkIndex,
      },
      build,
      settings: {
        formFactor: settingsLhr.configSettings.formFactor,
        throttlingMethod: settingsLhr.configSettings.throttlingMethod,
        throttling: settingsLhr.configSettings.throttling,
        runs: opts.runs,
      },
      targets: TARGETS,
      baseline,
      pages: results,
      ratioToBaseline: Object.fromEntries(
        results.map((r) => [r.name, { lcp: ratio(r.median.lcpMs, baseline.median.lcpMs), fcp: ratio(r.median.fcpMs, baseline.median.fcpMs) }]),
      ),
    };
  } finally {
    await bench.cleanup();
  }
}

function report(r: Result): void {
  const ok = (b: boolean) => (b ? 'ok' : 'MISSED');
  console.log(
    `pages bench: Lighthouse ${r.machine.lighthouse}, ${r.machine.chromium}, ${r.settings.formFactor} / ${r.settings.throttlingMethod} throttling ` +
      `(RTT ${r.settings.throttling.rttMs} ms, ${r.settings.throttling.throughputKbps} kbit/s, CPU ×${r.settings.throttling.cpuSlowdownMultiplier}); ` +
      `median of ${r.settings.runs} runs; ${r.machine.cpus} cores, load average ${r.machine.loadAverage.join(' ')} at the end, Lighthouse benchmarkIndex ${r.machine.benchmarkIndex}`,
  );
  const row = (p: PageResult) => ({
    performance: p.median.performance,
    'LCP ms': p.median.lcpMs,
    'FCP ms': p.median.fcpMs,
    'TBT ms': p.median.tbtMs,
    CLS: p.median.cls,
    'transfer KB': Math.round(p.median.transferBytes / 102.4) / 10,
    'TTFB ms': p.median.serverResponseMs,
    'server p50 ms': p.serverWarm?.p50Ms ?? '',
    'LCP ÷ baseline': r.ratioToBaseline[p.name]?.lcp ?? 1,
    'load avg': p.loadAverageBefore,
    [`perf ≥ ${r.targets.performance}`]: ok(p.met.performance),
    [`LCP ≤ ${r.targets.lcpMs} ms`]: ok(p.met.lcp),
  });
  console.table(
    Object.fromEntries([
      [`${r.baseline.name} (${r.baseline.path})`, row(r.baseline)],
      ...r.pages.map((p) => [`${p.name} (${p.path.replace(/[0-9a-f-]{36}/, ':id')})`, row(p)]),
    ]),
  );
  for (const p of r.pages.filter((x) => !x.met.performance || !x.met.lcp)) {
    console.log(`${p.name}: audits that did not pass —`);
    for (const d of p.diagnostics.filter((x) => !ALWAYS.includes(x.id) || x.id === 'server-response-time'))
      console.log(`  ${d.id}: ${d.title}${d.displayValue ? ` (${d.displayValue})` : ''}`);
  }
  const all = r.pages.every((p) => p.met.performance && p.met.lcp);
  console.log(`targets (performance ≥ ${r.targets.performance}, LCP ≤ ${r.targets.lcpMs} ms) on every page: ${ok(all)}`);
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const result = await run(opts);
  report(result);
  const out = path.resolve(__dirname, '../artifacts/bench/pages.json');
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
