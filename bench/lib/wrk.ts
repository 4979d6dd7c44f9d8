/**
 * wrk, the C load generator (Debian package `wrk`), for the benches that share two cores with the server: at the
 * same request rate it takes a fraction of the CPU that autocannon, running in Node, takes from the server.
 */
import { execFile, spawnSync } from 'node:child_process';
import * as path from 'node:path';

export interface WrkResult {
  requests: number;
  seconds: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number };
  non2xx: number;
  errors: number;
}

export function wrkAvailable(): boolean {
  return spawnSync('wrk', ['--version'], { stdio: 'ignore' }).error === undefined;
}

/** One wrk run: `connections` keep-alive connections on one thread for `seconds`, with the given headers. */
export function wrk(url: string, opts: { connections: number; seconds: number; headers: Record<string, string> }): Promise<WrkResult> {
  const args = ['-t1', `-c${opts.connections}`, `-d${opts.seconds}s`, '--timeout', '30s', '-s', path.join(__dirname, 'wrk-report.lua')];
  for (const [k, v] of Object.entries(opts.headers)) args.push('-H', `${k}: ${v}`);
  args.push(url);
  return new Promise((resolve, reject) =>
    execFile('wrk', args, { timeout: (opts.seconds + 30) * 1000 }, (err, stdout) => {
      if (err) return reject(new Error(`wrk 失败：${err.message}`));
      const line = stdout.trim().split('\n').pop() ?? '';
      try {
        const r = JSON.parse(line) as { requests: number; seconds: number; p50: number; p95: number; p99: number; max: number; non2xx: number; errors: number };
        resolve({
          requests: r.requests,
          seconds: r.seconds,
          latencyMs: { p50: r.p50, p95: r.p95, p99: r.p99, max: r.max },
          non2xx: r.non2xx,
          errors: r.errors,
        });
      } catch {
        reject(new Error(`wrk 的输出无法解析：${stdout.slice(-300)}`));
      }
    }),
  );
}
