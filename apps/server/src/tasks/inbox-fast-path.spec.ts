import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import type { Actor } from '../audit/actor';
import type { AuthService } from '../auth/auth.service';
import { DomainError } from '../common/errors/domain-error';
import { inboxFastPath } from './inbox-fast-path';
import type { InboxOptions, TasksService } from './tasks.service';

const actor: Actor = { personId: 'p1', name: '刘大滩', membershipId: 'm1', role: 'BRANCH_SECRETARY', orgId: 'o1', orgName: '大滩村党支部' };
const person = { id: 'p1', name: '刘大滩', active: true };

function world(opts: { actor?: Actor | null; active?: boolean; inbox?: (o: InboxOptions) => Promise<unknown> } = {}) {
  const auth = {
    actorFor: jest.fn(async () => ({ person: { ...person, active: opts.active ?? true }, actor: opts.actor === undefined ? actor : opts.actor })),
  };
  const inbox = jest.fn(opts.inbox ?? (async () => ({ tab: 'todo', items: [{ id: 't1', dueAt: new Date(Date.UTC(2018, 0, 17, 1)) }], next: null })));
  const tasks = { inbox, counts: jest.fn(async () => ({ todo: 3, overdue: 1, done: 0 })) };
  const debug = jest.fn();
  const log = { isLevelEnabled: () => true, debug } as unknown as Logger;
  const passes = { count: 0 };
  const handler = inboxFastPath(auth as unknown as AuthService, tasks as unknown as TasksService, () => log);
  /** Runs one request; resolves with what happened: answered (status, headers, body) or passed on to Nest. */
  const request = (path: string, init: { method?: string; query?: Record<string, unknown>; session?: Record<string, unknown> | undefined } = {}) =>
    new Promise<{ passed: true } | { status: number; headers: Record<string, unknown>; body: unknown }>((resolve) => {
      const req = {
        method: init.method ?? 'GET',
        path,
        originalUrl: path,
        query: init.query ?? {},
        session: 'session' in init ? init.session : { personId: 'p1', membershipId: 'm1' },
      } as unknown as Request;
      let status = 0;
      let headers: Record<string, unknown> = {};
      const res = {
        headersSent: false,
        writeHead(this: { headersSent: boolean }, s: number, h: Record<string, unknown>) {
          status = s;
          headers = h;
          this.headersSent = true;
        },
        end(body: string) {
          resolve({ status, headers, body: JSON.parse(body) });
        },
      } as unknown as Response;
      handler(req, res, () => {
        passes.count++;
        resolve({ passed: true });
      });
    });
  return { auth, tasks, debug, request, passes };
}

describe('inboxFastPath', () => {
  it('answers the inbox for a logged-in capacity with the scoped page as JSON, and logs it at debug', async () => {
    const w = world();
    const r = await w.request('/api/inbox', { query: { tab: 'todo', kind: 'FILING', limit: '5' } });
    expect(r).toEqual({
      status: 200,
      headers: expect.objectContaining({ 'content-type': 'application/json; charset=utf-8' }),
      body: { tab: 'todo', items: [{ id: 't1', dueAt: '2018-01-17T01:00:00.000Z' }], next: null },
    });
    expect(w.auth.actorFor).toHaveBeenCalledWith('p1', 'm1');
    expect(w.tasks.inbox).toHaveBeenCalledWith(actor, { tab: 'todo', kind: 'FILING', limit: 5, after: undefined, directiveId: undefined });
    expect(w.debug).toHaveBeenCalledTimes(1);
  });

  it('answers the counts', async () => {
    const w = world();
    expect(await w.request('/api/inbox/counts')).toMatchObject({ status: 200, body: { todo: 3, overdue: 1, done: 0 } });
    expect(w.tasks.counts).toHaveBeenCalledWith(actor);
  });

  it.each([
    ['another path', '/api/inbox/directives', {}],
    ['a write', '/api/inbox', { method: 'POST' }],
    ['no session', '/api/inbox', { session: undefined }],
    ['not logged in', '/api/inbox', { session: {} }],
    ['no capacity chosen yet', '/api/inbox', { session: { personId: 'p1' } }],
    ['a bad tab', '/api/inbox', { query: { tab: 'later' } }],
    ['a parameter given twice', '/api/inbox', { query: { kind: ['FILING', 'RECEIPT'] } }],
  ])('passes %s on to Nest without reading anything', async (_what, path, init) => {
    const w = world();
    expect(await w.request(path, init)).toEqual({ passed: true });
    expect(w.tasks.inbox).not.toHaveBeenCalled();
  });

  it('passes on a capacity no longer valid and a deactivated person, for Nest to refuse', async () => {
    expect(await world({ actor: null }).request('/api/inbox')).toEqual({ passed: true });
    expect(await world({ active: false }).request('/api/inbox')).toEqual({ passed: true });
  });

  it('passes on a failed read (a bad cursor, the database down) for Nest to answer with its error', async () => {
    const w = world({
      inbox: async () => {
        throw DomainError.validation([{ field: 'after', message: '字段 after（翻页位置）无效' }]);
      },
    });
    expect(await w.request('/api/inbox', { query: { after: 'x' } })).toEqual({ passed: true });
  });

  it('never passes on once it has answered, even if logging fails', async () => {
    const w = world();
    w.debug.mockImplementation(() => {
      throw new Error('log stream closed');
    });
    expect(await w.request('/api/inbox')).toMatchObject({ status: 200 });
    await new Promise((r) => setImmediate(r));
    expect(w.debug).toHaveBeenCalledTimes(1);
    expect(w.passes.count).toBe(0);
  });
});
