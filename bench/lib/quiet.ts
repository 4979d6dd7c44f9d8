/**
 * The machine is shared (2 cores): before each measurement, wait until no other test run or benchmark is running, as
 * `pgrep -f jest` and `pgrep -f bench/` would find them, leaving out this process's own ancestors and descendants
 * (its server, worker, baseline and load generator). Polls every 20 s; returns the 1-minute load average once quiet.
 * `watchForOthers` tells afterwards whether one started during the measurement.
 */
import * as fs from 'node:fs';
import { descendants, sleep } from './processes';

const PATTERNS = [/jest/, /bench\//];
const POLL_MS = 20_000;

function cmdline(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return '';
  }
}

function parentOf(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return 0;
  }
}

/** Our own process tree: every ancestor up to init, and every descendant. */
function ownTree(): Set<number> {
  const own = new Set<number>([process.pid, ...descendants(process.pid)]);
  for (let p = parentOf(process.pid); p > 1; p = parentOf(p)) own.add(p);
  return own;
}

/** Other test runs and benchmarks running now: pid and command line. */
export function otherRuns(): { pid: number; cmd: string }[] {
  const own = ownTree();
  const found: { pid: number; cmd: string }[] = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    if (own.has(pid)) continue;
    const cmd = cmdline(pid);
    if (cmd && PATTERNS.some((p) => p.test(cmd))) found.push({ pid, cmd });
  }
  return found;
}

/** /proc/loadavg: the 1, 5 and 15-minute load averages. */
export function loadAverage(): [number, number, number] {
  const [a, b, c] = fs.readFileSync('/proc/loadavg', 'utf8').split(' ').map(Number);
  return [a, b, c];
}

/** The 1-minute load average the bench waits for (its own setup raises it), for at most SETTLE_MS. */
const SETTLED_LOAD = 1.5;
const SETTLE_MS = 120_000;

/**
 * Waits (polling every 20 s) until no other test or benchmark runs, then up to 2 minutes for the 1-minute load
 * average to fall to 1.5 (the bench's own setup raises it); returns the load average then.
 */
export async function waitForQuiet(what: string): Promise<[number, number, number]> {
  let waited = 0;
  for (;;) {
    const others = otherRuns();
    if (!others.length) break;
    if (waited % 60_000 === 0) console.log(`${what}：等待其他测试/基准结束（${others.length} 个进程，如 ${others[0].pid} ${others[0].cmd.slice(0, 100)}）`);
    await sleep(POLL_MS);
    waited += POLL_MS;
  }
  const settleEnd = Date.now() + SETTLE_MS;
  while (loadAverage()[0] > SETTLED_LOAD && Date.now() < settleEnd && !otherRuns().length) await sleep(5000);
  if (otherRuns().length) return waitForQuiet(what);
  const load = loadAverage();
  console.log(`${what}: load average ${load.join(' ')}${waited ? ` (waited ${waited / 1000} s for other runs)` : ''}`);
  return load;
}

/**
 * Watches, every 2 s, for other test runs or benchmarks starting during a measurement; `stop()` returns the command
 * lines seen (empty: the measurement was undisturbed).
 */
export function watchForOthers(): { stop: () => string[] } {
  const seen = new Set<string>();
  const timer = setInterval(() => {
    for (const o of otherRuns()) seen.add(o.cmd.slice(0, 120));
  }, 2000);
  timer.unref();
  return {
    stop: () => {
      clearInterval(timer);
      for (const o of otherRuns()) seen.add(o.cmd.slice(0, 120));
      return [...seen];
    },
  };
}
