/**
 * Workflow code lives for a year (a directive stays open until revoked): every history recorded from the integration
 * tests, by this release and the ones before it, must replay on today's code. An incompatible change fails here; the
 * same change behind patched() passes (README: "Changing workflow code").
 */
import fs from 'node:fs';
import path from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { DeterminismViolationError } from '@temporalio/workflow';
import { Worker } from '@temporalio/worker';

const DIR = path.resolve(__dirname, '../fixtures/histories');
const BUNDLE = path.resolve(__dirname, '../../dist/workflow-bundle.js');

interface Recorded {
  file: string;
  type: string;
  workflowId: string;
  history: ReturnType<typeof historyFromJSON>;
}

/** test/fixtures/histories/<release>/<workflowType>/<workflowId>.json */
function recorded(filter: (type: string) => boolean = () => true): Recorded[] {
  const out: Recorded[] = [];
  for (const release of fs.readdirSync(DIR)) {
    for (const type of fs.readdirSync(path.join(DIR, release)).filter(filter)) {
      for (const name of fs.readdirSync(path.join(DIR, release, type)).filter((n) => n.endsWith('.json'))) {
        const file = path.join(DIR, release, type, name);
        out.push({
          file: path.relative(DIR, file),
          type,
          workflowId: name.replace(/\.json$/, ''),
          history: historyFromJSON(JSON.parse(fs.readFileSync(file, 'utf8'))),
        });
      }
    }
  }
  return out;
}

async function replay(options: Parameters<typeof Worker.runReplayHistories>[0], histories: Recorded[]) {
  const failures: string[] = [];
  let replayed = 0;
  for await (const r of Worker.runReplayHistories(
    options,
    histories.map((h) => ({ workflowId: h.workflowId, history: h.history })),
  )) {
    replayed++;
    if (r.error) failures.push(`${r.workflowId}: ${r.error.message}`);
  }
  return { replayed, failures };
}

describe('recorded workflow histories replay on today’s workflow code', () => {
  it('covers every workflow type the worker registers, from every recorded release', () => {
    const all = recorded();
    // The types workflows/index.ts exports to the worker: a new workflow without a recorded history fails here.
    const registered = [...fs.readFileSync(path.resolve(__dirname, '../../workflows/index.ts'), 'utf8').matchAll(/export \{ (\w+) \}/g)].map((m) => m[1]);
    expect(registered).toContain('reviewRoundWorkflow');
    expect(new Set(all.map((h) => h.type))).toEqual(new Set(registered));
    expect(all.length).toBeGreaterThanOrEqual(15);
  });

  it('replays every history without a nondeterminism error', async () => {
    const all = recorded();
    const { replayed, failures } = await replay({ workflowBundle: { codePath: BUNDLE } }, all);
    expect(failures).toEqual([]);
    expect(replayed).toBe(all.length);
  });

  it('fails the replay of an incompatible change, and passes the same change behind patched()', async () => {
    // Receipts that were reminded recorded the reminder activity; the changed code schedules another one there.
    const reminded = recorded((t) => t === 'receiptWorkflow').filter((h) =>
      h.history.events?.some((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'remindTask'),
    );
    expect(reminded.length).toBeGreaterThan(0);
    const broken = await replay({ workflowsPath: require.resolve('../fixtures/replay/incompatible.ts') }, reminded);
    expect(broken.failures).toHaveLength(reminded.length);
    await expect(
      Worker.runReplayHistory({ workflowsPath: require.resolve('../fixtures/replay/incompatible.ts') }, reminded[0].history, reminded[0].workflowId),
    ).rejects.toBeInstanceOf(DeterminismViolationError);
    const safe = await replay({ workflowsPath: require.resolve('../fixtures/replay/patched.ts') }, reminded);
    expect(safe.failures).toEqual([]);
  });
});
