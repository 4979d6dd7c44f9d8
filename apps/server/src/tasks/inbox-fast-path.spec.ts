import { createHmac } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { Actor } from '../audit/actor';
import type { AuthService } from '../auth/auth.service';
import { DomainError } from '../common/errors/domain-error';
import { inboxFastPath } from './inbox-fast-path';
import type { InboxOptions, TasksService } from './tasks.service';

const actor: Actor = { personId: 'p1', name: '刘大滩', membershipId: 'm1', role: 'BRANCH_SECRETARY', orgId: 'o1', orgName: '大滩村党支部' };
const person = { id: 'p1', name: '刘大滩', active: true };

const SECRET = 'test-secret';
/** The cookie value express-session sets: `s:` + the id + `.` + its HMAC-SHA256 in unpadded base64 (cookie-signature). */
const signed = (sid: string, secret = SECRET) => `s:${sid}.${createHmac('sha256', secret).update(sid).digest('base64').replace(/=+$/, '')}`;

function world(opts: { actor?: Actor | null; active?: boolean; inbox?: (o: InboxOptions) => Promise<unknown> } = {}) {
  const auth = {
    actorFor: jest.fn(async () => ({ person: { ...person, active: opts.active ?? true }, actor: opts.actor === undefined ? actor : opts.actor })),
  };
  const inbox = jest.fn(opts.inbox ?? (async () => ({ tab: 'todo', items: [{ id: 't1', dueAt: new Date(Date.UTC(2018, 0, 17, 1)) }], next: null })));
  const tasks = { inbox, counts: jest.fn(async () => ({ todo: 3, overdue: 1, done: 0 })) };
  const debug = jest.fn();
  const log = { isLevelEnabled: () => true, debug } as unknown as Logger;
  const sessions: Record<string, Record<string, unknown>> = { sid1: { personId: 'p1', membershipId: 'm1' } };
  const store = { get: jest.fn((sid: string, cb: (err: unknown, s?: unknown) => void) => cb(null, sessions[sid] ?? null)) };
  const handler = inboxFastPath({
    auth: auth as unknown as AuthService,
    tasks: tasks as unknown as TasksService,
    store: store as never,
    cookieName: 'dj.sid',
    secret: SECRET,
    logger: () => log,
    headers: { 'content-security-policy': "default-src 'self'", 'x-content-type-options': 'nosniff' },
  });
  /** Runs one request; resolves with what happened: answered (status, headers, body) or declined (left to Express). */
  const request = async (url: string, init: { method?: string; cookie?: string | null; session?: Record<string, unknown> } = {}) => {
    if (init.session) sessions.sid2 = init.session;
    const cookie = init.cookie === null ? undefined : (init.cookie ?? `other=1; dj.sid=${encodeURIComponent(signed(init.session ? 'sid2' : 'sid1'))}`);
    const req = { method: init.method ?? 'GET', url, headers: cookie ? { cookie } : {} } as unknown as IncomingMessage;
    let status = 0;
    let headers: Record<string, unknown> = {};
    let body: unknown;
    const res = {
      headersSent: false,
      writeHead(this: { headersSent: boolean }, s: number, h: Record<string, unknown>) {
        status = s;
        headers = h;
        this.headersSent = true;
      },
      end(b: string) {
        body = JSON.parse(b);
      },
    } as unknown as ServerResponse;
    const answered = await handler(req, res);
    expect(req).not.toHaveProperty('signedCookies');
    expect(req).not.toHaveProperty('cookies');
    return answered ? { status, headers, body } : { passed: true as const };
  };
  return { auth, tasks, debug, request, store };
}

describe('inboxFastPath', () => {
  it('answers the inbox for a logged-in capacity with the scoped page as JSON, and logs it at debug', async () => {
    const w = world();
    const r = await w.request('/api/inbox?tab=todo&kind=FILING&limit=5');
    expect(r).toEqual({
      status: 200,
      headers: expect.objectContaining({
        'content-type': 'application/json; charset=utf-8',
        'content-security-policy': "default-src 'self'",
        'x-content-type-options': 'nosniff',
      }),
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
    ['a path that only starts like it', '/api/inbox/counts/x', {}],
    ['a write', '/api/inbox', { method: 'POST' }],
    ['no cookie', '/api/inbox', { cookie: null }],
    ['an unsigned session cookie', '/api/inbox', { cookie: 'dj.sid=sid1' }],
    ['a cookie signed with another secret', '/api/inbox', { cookie: `dj.sid=${encodeURIComponent(signed('sid1', 'other-secret'))}` }],
    ['an unknown or expired session', '/api/inbox', { cookie: `dj.sid=${encodeURIComponent(signed('gone'))}` }],
    ['not logged in', '/api/inbox', { session: { csrfSecret: 'x' } }],
    ['no capacity chosen yet', '/api/inbox', { session: { personId: 'p1' } }],
    ['a bad tab', '/api/inbox?tab=later', {}],
    ['a parameter given twice', '/api/inbox?kind=FILING&kind=RECEIPT', {}],
  ])('passes %s on to Nest without reading anything', async (_what, path, init) => {
    const w = world();
    expect(await w.request(path, init)).toEqual({ passed: true });
    expect(w.tasks.inbox).not.toHaveBeenCalled();
    expect(w.tasks.counts).not.toHaveBeenCalled();
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
    expect(await w.request('/api/inbox?after=x')).toEqual({ passed: true });
  });

  it('never passes on once it has answered, even if logging fails', async () => {
    const w = world();
    w.debug.mockImplementation(() => {
      throw new Error('log stream closed');
    });
    expect(await w.request('/api/inbox')).toMatchObject({ status: 200 });
    expect(w.debug).toHaveBeenCalledTimes(1);
  });
});
