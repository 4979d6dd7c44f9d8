import cookieParser from 'cookie-parser';
import type { SessionData, Store } from 'express-session';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import type { Logger } from 'pino';
import type { Actor } from '../audit/actor';
import type { AuthService } from '../auth/auth.service';
import { parseInboxQuery, type InboxQuery } from './inbox-query';
import type { TasksService } from './tasks.service';
import '../auth/session.types';

/** The reads the fast path answers: what every person's inbox page asks for, and what every page polls. */
const ROUTES: Record<string, (tasks: TasksService, actor: Actor, query: InboxQuery) => Promise<unknown>> = {
  '/api/inbox': (tasks, actor, query) => tasks.inbox(actor, parseInboxQuery(query)),
  '/api/inbox/counts': (tasks, actor) => tasks.counts(actor),
};

export interface FastPathDeps {
  auth: Pick<AuthService, 'actorFor'>;
  tasks: Pick<TasksService, 'inbox' | 'counts'>;
  /** The session store express-session uses (with its cache). */
  store: Pick<Store, 'get'>;
  /** The session cookie's name and the secret it is signed with, as express-session is configured. */
  cookieName: string;
  secret: string;
  logger: () => Logger | undefined;
  /** Headers every answer carries (the security headers Express would have added). */
  headers?: Record<string, string>;
}

/**
 * The inbox and its counts for a logged-in person acting in a chosen capacity, answered before Express: no router,
 * no session object, no Nest pipeline (request logging, body parsing, CSRF, guards, pipes, ETag). These two reads are
 * most of the traffic (every inbox page, and the badge every page polls), and what Express and express-session add
 * per request was a third of the server's CPU for them (npm run bench -- inbox, against a bare node:http handler).
 *
 * It answers only the common case and adds no rules of its own: the session cookie checked as express-session checks
 * it (signed with the same secret, read from the same store and cache, expired sessions refused), the same actor
 * resolution as AuthGuard (AuthService.actorFor: the person, the membership and the organisation are active), the same
 * query parsing and the same TasksService query, which scopes every row to the actor. Anything else — no cookie, a bad
 * signature, no capacity chosen yet, a deactivated account, a bad query, a failed read — resolves false and goes to
 * Express and Nest (TasksController), which answer it as they always have, with the Chinese error and the log line.
 */
export function inboxFastPath(deps: FastPathDeps): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  const cookies = cookieParser(deps.secret);
  const session = (sid: string) => new Promise<SessionData | null>((resolve) => deps.store.get(sid, (err, sess) => resolve(err ? null : (sess ?? null))));

  return async (req, res) => {
    if (req.method !== 'GET' || !req.headers.cookie) return false;
    const url = req.url ?? '';
    const q = url.indexOf('?');
    const route = ROUTES[q < 0 ? url : url.slice(0, q)];
    if (!route) return false;
    const started = Date.now();
    try {
      // cookie-parser as express-session reads its cookie: `s:` + the id signed with the secret, else nothing.
      const jar = req as IncomingMessage & { signedCookies?: Record<string, unknown> };
      cookies(jar as never, res as never, () => undefined);
      const sid = jar.signedCookies?.[deps.cookieName];
      delete jar.signedCookies;
      delete (jar as { cookies?: unknown }).cookies;
      delete (jar as { secret?: unknown }).secret;
      if (typeof sid !== 'string' || !sid) return false;
      const sess = await session(sid);
      const personId = sess?.personId;
      const membershipId = sess?.membershipId;
      if (!personId || !membershipId) return false;
      const { person, actor } = await deps.auth.actorFor(personId, membershipId);
      if (!actor || !person?.active) return false;
      const body = JSON.stringify(await route(deps.tasks as TasksService, actor, parseQuery(q < 0 ? '' : url.slice(q + 1)) as InboxQuery));
      res.writeHead(200, {
        ...deps.headers,
        'content-type': 'application/json; charset=utf-8',
        'content-length': Buffer.byteLength(body),
        'cache-control': 'no-store',
      });
      res.end(body);
    } catch {
      // Nothing was sent: Express and Nest answer it, with their error.
      if (!res.headersSent) return false;
      return true;
    }
    try {
      const log = deps.logger();
      if (log?.isLevelEnabled('debug'))
        log.debug({ req: { method: req.method, url: req.url }, res: { statusCode: 200 }, responseTime: Date.now() - started }, 'request completed');
    } catch {
      // A failing log stream must not make the request answer twice.
    }
    return true;
  };
}

/**
 * Puts `fast` in front of the server's request handler (Express): a request it answers never reaches Express; one it
 * declines goes on untouched. Installed once, on the server Nest created (before it listens).
 */
export function answerFirst(server: Server, fast: (req: IncomingMessage, res: ServerResponse) => Promise<boolean>): void {
  const handlers = server.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    fast(req, res).then(
      (answered) => answered || handlers.forEach((h) => h(req, res)),
      () => res.headersSent || handlers.forEach((h) => h(req, res)),
    );
  });
}
