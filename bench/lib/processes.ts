/** Child processes for benchmarks: each in its own process group (killed as a group), with its memory sampled. */
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** A port nothing listens on right now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/** kB from a /proc/<pid>/status field (VmRSS, VmHWM); 0 when the process is gone. */
export function procStatusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const m = fs.readFileSync(`/proc/${pid}/status`, 'utf8').match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

function statOf(pid: number): string[] | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' '); // [state, ppid, pgrp, ...]
  } catch {
    return null;
  }
}

const CLOCK_TICKS_PER_SECOND = 100; // USER_HZ, 100 on Linux

function commOf(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
}

/** CPU time (user + system) a process has used so far, in ms; 0 when it is gone. */
export function cpuMsOf(pid: number): number {
  const st = statOf(pid);
  return st ? ((Number(st[11]) + Number(st[12])) * 1000) / CLOCK_TICKS_PER_SECOND : 0;
}

const pgidOf = (pid: number): number | null => {
  const st = statOf(pid);
  return st ? Number(st[2]) : null;
};

/** Every live descendant of `root` (children, grandchildren…), from /proc. */
export function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const st = statOf(Number(name));
    if (!st) continue;
    const ppid = Number(st[1]);
    children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
  }
  const out: number[] = [];
  const queue = [root];
  while (queue.length) {
    for (const c of children.get(queue.shift() as number) ?? []) {
      out.push(c);
      queue.push(c);
    }
  }
  return out;
}

/**
 * A Node process started in its own group; tracks its peak RSS (VmHWM, and polled VmRSS as a fallback), and the peak
 * of the summed RSS of it and its descendants (a cluster's server processes, a worker's Chromium), polled.
 */
export class ManagedProcess {
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
  private peakKb = 0;
  private peakTreeKb = 0;
  private peakNodeTreeKb = 0;
  private tree: number[] = [];
  private nodes = new Set<number>();
  private treeAt = 0;
  private readonly sampler: NodeJS.Timeout;

  constructor(
    readonly name: string,
    command: string,
    args: string[],
    opts: { cwd: string; env: NodeJS.ProcessEnv; logFile: string },
  ) {
    const out = fs.openSync(opts.logFile, 'a');
    this.child = spawn(command, args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', out, out], detached: true });
    fs.closeSync(out);
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
    this.sampler = setInterval(() => this.sample(), 200);
    this.sampler.unref();
  }

  get pid(): number {
    return this.child.pid as number;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  private sample(): void {
    if (!this.running) return;
    this.peakKb = Math.max(this.peakKb, procStatusKb(this.pid, 'VmHWM'), procStatusKb(this.pid, 'VmRSS'));
    // The descendants looked up once a second (a scan of /proc), their RSS read at every sample.
    if (Date.now() - this.treeAt > 1000) {
      this.tree = [this.pid, ...descendants(this.pid)];
      this.nodes = new Set(this.tree.filter((pid) => commOf(pid) === 'node'));
      this.treeAt = Date.now();
    }
    let all = 0;
    let node = 0;
    for (const pid of this.tree) {
      const kb = procStatusKb(pid, 'VmRSS');
      all += kb;
      if (this.nodes.has(pid)) node += kb;
    }
    this.peakTreeKb = Math.max(this.peakTreeKb, all);
    this.peakNodeTreeKb = Math.max(this.peakNodeTreeKb, node);
  }

  /** Peak resident memory in MiB, so far. */
  peakRssMb(): number {
    this.sample();
    return Math.round((this.peakKb / 1024) * 10) / 10;
  }

  /** Peak of the summed resident memory of this process and its descendants, in MiB, so far (polled every 200 ms). */
  peakTreeRssMb(): number {
    this.sample();
    return Math.round((this.peakTreeKb / 1024) * 10) / 10;
  }

  /** The same, of its Node processes only (a cluster's primary and servers; not the Chromium they start). */
  peakNodeTreeRssMb(): number {
    this.sample();
    return Math.round((this.peakNodeTreeKb / 1024) * 10) / 10;
  }

  /** CPU time used so far by this process and its descendants alive now (a cluster's server processes), in ms. */
  cpuMs(): number {
    return [this.pid, ...descendants(this.pid)].reduce((sum, pid) => sum + cpuMsOf(pid), 0);
  }

  /** The process groups of this process and its descendants, now. */
  groups(): number[] {
    return [...new Set([this.pid, ...descendants(this.pid).map(pgidOf)].filter((g): g is number => g !== null && g > 1 && g !== process.pid))];
  }

  /** Signals the whole process group, and the groups of its descendants (puppeteer starts Chromium in a group of its own). */
  signal(sig: NodeJS.Signals, groups = this.groups()): void {
    for (const g of groups) {
      try {
        process.kill(-g, sig);
      } catch {
        // already gone
      }
    }
  }

  /** SIGTERM, then SIGKILL after `graceMs`; resolves when the process has exited. */
  async stop(graceMs = 5000): Promise<void> {
    this.sample();
    clearInterval(this.sampler);
    const groups = this.groups(); // before the parent exits and its children are re-parented
    if (this.running) {
      this.signal('SIGTERM', groups);
      const done = await Promise.race([this.exited.then(() => true), sleep(graceMs).then(() => false)]);
      if (!done) this.signal('SIGKILL', groups);
    }
    this.signal('SIGKILL', groups); // leftovers (a Chromium that outlived its parent)
    if (this.running) await this.exited;
  }

  async kill(): Promise<void> {
    this.sample();
    clearInterval(this.sampler);
    this.signal('SIGKILL');
    if (this.running) await this.exited;
  }
}

/** CPU time of the children this process has waited for (cutime + cstime): a load generator run to completion. */
export function waitedChildrenCpuMs(): number {
  const st = statOf(process.pid);
  return st ? ((Number(st[13]) + Number(st[14])) * 1000) / CLOCK_TICKS_PER_SECOND : 0;
}

/** Machine-wide CPU time so far from /proc/stat, in ms summed over all cores: busy (not idle or iowait) and total. */
export function machineCpuMs(): { busy: number; total: number } {
  const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]; // cpu user nice system idle iowait irq softirq steal …
  const [user, nice, system, idle, iowait, irq, softirq, steal] = line.trim().split(/\s+/).slice(1, 9).map(Number);
  const busy = user + nice + system + irq + softirq + steal;
  return { busy: (busy * 1000) / CLOCK_TICKS_PER_SECOND, total: ((busy + idle + iowait) * 1000) / CLOCK_TICKS_PER_SECOND };
}

/** CPU time so far (ms) of every process, by pid, with its command name and command line (first 100 characters). */
export function cpuMsOfAll(): Map<number, { ms: number; comm: string; cmd: string }> {
  const out = new Map<number, { ms: number; comm: string; cmd: string }>();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const cmd = fs.readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').join(' ').trim().slice(0, 100);
      out.set(Number(name), { ms: cpuMsOf(Number(name)), comm: commOf(Number(name)), cmd });
    } catch {
      // gone
    }
  }
  return out;
}

/** Polls `check` until it gives a value, or fails naming what was awaited. */
export async function until<T>(what: string, check: () => Promise<T | undefined | null | false>, timeoutMs = 60_000, everyMs = 100): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`等待${what}超时（${timeoutMs / 1000} 秒）`);
    await sleep(everyMs);
  }
}
