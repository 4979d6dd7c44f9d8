import { doubleCsrf, DoubleCsrfUtilities } from 'csrf-csrf';
import type { Request } from 'express';
import '../../auth/session.types';

export const CSRF = Symbol('CSRF');
export type Csrf = DoubleCsrfUtilities;

/** Double-submit CSRF tokens tied to the session; forms send `_csrf`, scripts the `x-csrf-token` header. */
export function createCsrf(secret: string, secure: boolean): Csrf {
  return doubleCsrf({
    getSecret: () => secret,
    getSessionIdentifier: (req: Request) => req.sessionID ?? '',
    cookieName: secure ? '__Host-dj.csrf' : 'dj.csrf',
    cookieOptions: { sameSite: 'lax', secure, httpOnly: true, path: '/' },
    getCsrfTokenFromRequest: (req: Request) => (req.headers['x-csrf-token'] as string | undefined) ?? (req.body as Record<string, string> | undefined)?._csrf,
    errorConfig: { statusCode: 403, code: 'EBADCSRFTOKEN', message: '表单已过期或来源不可信，请刷新页面后重试' },
  });
}
