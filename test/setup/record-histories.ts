/**
 * `RECORD_HISTORIES=<dir> npm run test:integration` writes every workflow execution's history, as the integration
 * tests left them, to <dir>/<workflowType>/<workflowId>.json (Temporal's JSON history format). A release copies a
 * few of each type into test/fixtures/histories/<release>/, which the replay test runs on every later change.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';

export async function recordHistories(address: string, dir: string): Promise<number> {
  const connection = await Connection.connect({ address });
  try {
    const client = new Client({ connection, namespace: process.env.TEMPORAL_NAMESPACE ?? 'default' });
    let n = 0;
    for await (const wf of client.workflow.list()) {
      const typeDir = path.join(dir, wf.type);
      fs.mkdirSync(typeDir, { recursive: true });
      // File names that every file system accepts.
      const name = `${wf.workflowId.replace(/[^\w.-]/g, '_')}.json`;
      const history = await client.workflow.getHandle(wf.workflowId, wf.runId).fetchHistory();
      fs.writeFileSync(path.join(typeDir, name), historyToJSON(history));
      n++;
    }
    return n;
  } finally {
    await connection.close();
  }
}
