/** SIGTERM to the worker process: it stops polling but finishes the activity it is running. */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { ackUpdate } from '../../workflows/system/ping.definitions';
import { eventually } from '../support/eventually';
import { startWorker } from '../support/test-app';

const ROOT = path.resolve(__dirname, '../..');

describe('worker shutdown', () => {
  it('finishes an in-flight activity before exiting, so it is not run twice', async () => {
    const taskQueue = `shutdown-${Date.now()}`;
    const env = { ...process.env, TEMPORAL_TASK_QUEUE: taskQueue, LOG_LEVEL: 'warn', SWCRC: 'true' };
    const worker = spawn(process.execPath, ['-r', '@swc-node/register', path.join(ROOT, 'apps/worker/src/main.ts')], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    worker.stdout.on('data', (d) => (output += d));
    worker.stderr.on('data', (d) => (output += d));
    const exited = new Promise<string>((resolve) => worker.once('exit', (code, signal) => resolve(signal ?? String(code))));

    const connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS });
    const client = new Client({ connection });
    try {
      const handle = await client.workflow.start('pingWorkflow', {
        taskQueue,
        workflowId: `shutdown-${Date.now()}`,
        args: [{ message: '停机测试', holdMs: 4000, ackTimeoutMs: 30_000 }],
      });
      const events = async () => (await handle.fetchHistory()).events ?? [];
      await eventually(events, (e) => e.some((x) => x.activityTaskStartedEventAttributes), 60_000, '活动开始');

      const stoppedAt = Date.now();
      worker.kill('SIGTERM');
      // Nest closes the application (draining the worker) and then re-raises the signal.
      expect(['0', 'SIGTERM']).toContain(await exited);
      // It waited for the 4-second activity rather than abandoning it.
      const completed = (await events()).filter((x) => x.activityTaskCompletedEventAttributes);
      expect(completed).toHaveLength(1);
      expect(Date.now() - stoppedAt).toBeLessThan(15_000);

      // Another worker picks the workflow up; the activity is not started a second time.
      const next = await startWorker({ taskQueue });
      try {
        await handle.executeUpdate(ackUpdate, { args: [{ by: '值班员' }] });
        expect((await handle.result()).echo).toBe('收到：停机测试');
        expect((await events()).filter((x) => x.activityTaskStartedEventAttributes)).toHaveLength(1);
      } finally {
        await next.close();
      }
    } finally {
      if (worker.exitCode === null) worker.kill('SIGKILL');
      await connection.close();
      if (process.env.DEBUG_SHUTDOWN) console.log(output);
    }
  });
});
