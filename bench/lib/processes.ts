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

/** A Node process started in its own group; tracks its peak RSS (VmHWM, and polled VmRSS as a fallback). */
export class ManagedProcess {
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
  private peakKb = 0;
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
  }

  /** Peak resident memory in MiB, so far. */
  peakRssMb(): number {
    this.sample();
    return Math.round((this.peakKb / 1024) * 10) / 10;
  }

  /** Signals the whole process group (the Node process and e.g. its Chromium). */
  signal(sig: NodeJS.Signals): void {
    try {
      process.kill(-this.pid, sig);
    } catch {
      // already gone
    }
  }

  /** SIGTERM, then SIGKILL after `graceMs`; resolves when the process has exited. */
  async stop(graceMs = 5000): Promise<void> {
    this.sample();
    clearInterval(this.sampler);
    if (this.running) {
      this.signal('SIGTERM');
      const done = await Promise.race([this.exited.then(() => true), sleep(graceMs).then(() => false)]);
      if (!done) this.signal('SIGKILL');
    }
    this.signal('SIGKILL'); // leftovers of the group (a Chromium that outlived its parent)
    if (this.running) await this.exited;
  }

  async kill(): Promise<void> {
    this.sample();
    clearInterval(this.sampler);
    this.signal('SIGKILL');
    if (this.running) await this.exited;
  }
}
