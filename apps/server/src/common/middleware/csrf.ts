import { randomBytes } from 'node:crypto';
import { doubleCsrf, DoubleCsrfUtilities } from 'csrf-csrf';
import type { Request, Response } from 'express';
import '../../auth/session.types';

export const CSRF = Symbol('CSRF');
export type Csrf = DoubleCsrfUtilities;

/**
 * Double-submit CSRF tokens, tied to the session once a person has logged in and, before that, to a random pre-login
 * cookie — so the login page and `/api/auth/csrf` store nothing on the server: a session row exists only from login on.
 * Forms send `_csrf`, scripts the `x-csrf-token` header. A multipart form (a page form with files, sent without
 * JavaScript) carries `_csrf` in its action's query: its body is read only after this check, by the route's interceptor.
 */
export function createCsrf(secret: string, secure: boolean): Csrf {
  const preLogin = secure ? '__Host-dj.pre' : 'dj.pre';
  const cookies = (req: Request) => (req.cookies ?? {}) as Record<string, string | undefined>;
  const loggedIn = (req: Request) => !!req.session?.personId;
  const csrf = doubleCsrf({
    getSecret: () => secret,
    getSessionIdentifier: (req: Request) => (loggedIn(req) ? req.sessionID : (cookies(req)[preLogin] ?? '')),
    cookieName: secure ? '__Host-dj.csrf' : 'dj.csrf',
    cookieOptions: { sameSite: 'lax', secure, httpOnly: true, path: '/' },
    getCsrfTokenFromRequest: (req: Request) =>
      (req.headers['x-csrf-token'] as string | undefined) ??
      (req.body as Record<string, string> | undefined)?._csrf ??
      (req.is('multipart/form-data') && typeof req.query._csrf === 'string' ? req.query._csrf : undefined),
    errorConfig: { statusCode: 403, code: 'EBADCSRFTOKEN', message: '表单已过期或来源不可信，请刷新页面后重试' },
  });
  const generateCsrfToken: Csrf['generateCsrfToken'] = (req: Request, res: Response, options) => {
    if (!loggedIn(req) && !cookies(req)[preLogin]) {
      const id = randomBytes(24).toString('base64url');
      res.cookie(preLogin, id, { httpOnly: true, sameSite: 'lax', secure, path: '/' });
      req.cookies = { ...cookies(req), [preLogin]: id };
    }
    return csrf.generateCsrfToken(req, res, options);
  };
  return { ...csrf, generateCsrfToken };
}
