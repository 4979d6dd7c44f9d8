import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Request, Response } from 'express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import compression from 'compression';
import connectPgSimple from 'connect-pg-simple';
import cookieParser from 'cookie-parser';
import session from 'express-session';
import hbs from 'hbs';
import helmet from 'helmet';
import { Logger, PinoLogger } from 'nestjs-pino';
import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import path from 'node:path';
import { AppModule } from './app.module';
import { DomainErrorFilter } from './common/errors/domain-error.filter';
import { createValidationPipe } from './common/validation/validation.pipe';
import { AuthCache } from './common/middleware/auth-cache';
import { withSessionCache } from './common/middleware/session-cache';
import { SessionPool } from './common/middleware/session-pool';
import { AppConfig } from './config/app-config';
import { PROJECT_ROOT as ROOT } from './common/paths';
import { registerPageHelpers } from './pages/helpers';
import { LATER_SCRIPTS_LOADER_HASH } from './pages/later-scripts';
import { StaticAssets } from './pages/static-assets';
import { AuthService } from './auth/auth.service';
import { answerFirst, inboxFastPath } from './tasks/inbox-fast-path';
import { TasksService } from './tasks/tasks.service';

export const PAGES_DIR = path.join(ROOT, 'templates/pages');

/**
 * Security headers on every answer (helmet): scripts only from this origin, and the one inline loader that starts the
 * pages' scripts after their first paint (allowed by its hash; later-scripts.ts), styles
 * from this origin plus inline ones (the document preview is an srcdoc frame carrying the GB/T 9704 layout CSS, and
 * two bars set their width inline), images also as data: and blob: (the red-header rule, photos taken offline), no
 * framing by any page, this site's included (frame-ancestors 'none', X-Frame-Options DENY: the preview's srcdoc
 * frames are not fetched, so they are not framed answers), the referrer kept to this site; HSTS in production (behind HTTPS) only.
 */
export function securityHeaders(production: boolean) {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", LATER_SCRIPTS_LOADER_HASH],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        frameSrc: ["'self'"],
        frameAncestors: ["'none'"],
        workerSrc: ["'self'"],
        objectSrc: ["'self'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        ...(production ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    strictTransportSecurity: production ? { maxAge: 180 * 24 * 3600, includeSubDomains: true } : false,
    referrerPolicy: { policy: 'same-origin' },
    xFrameOptions: { action: 'deny' },
    crossOriginEmbedderPolicy: false,
  });
}

/**
 * Pages and their static files (CSS, scripts, the charts library) compressed (brotli or gzip, as the browser accepts):
 * on a phone's connection the pages' first load is mostly these bytes (measured with `npm run bench -- pages`). The
 * JSON API is left as it is (small answers, and its latency is what the inbox bench measures); so are answers whose
 * type does not compress (PDF, images, archives).
 */
export function pageCompression() {
  return compression({ filter: (req, res) => !req.url?.startsWith('/api/') && compression.filter(req, res) });
}

/** The headers a header-only middleware (helmet) sets, for answers that do not pass through Express. */
function headersOf(middleware: (req: never, res: never, next: () => void) => void): Record<string, string> {
  const headers: Record<string, string> = {};
  const res = { setHeader: (k: string, v: unknown) => (headers[k.toLowerCase()] = String(v)), removeHeader: (k: string) => delete headers[k.toLowerCase()] };
  middleware({ headers: {} } as never, res as never, () => undefined);
  return headers;
}

/**
 * Node's own answer to a request it cannot parse (a URL or headers over 16 KB: 431; a malformed request line: 400) is
 * an empty, English status line; this one says what is wrong in Chinese, in the API's error shape.
 */
export function answerClientError(err: NodeJS.ErrnoException & { rawPacket?: unknown }, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const [status, reason, code, message] =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'Request Header Fields Too Large', 'HEADERS_TOO_LARGE', '请求的地址或请求头过长，请缩短后重试']
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'Request Timeout', 'REQUEST_TIMEOUT', '请求超时，请重试']
        : [400, 'Bad Request', 'BAD_REQUEST', '请求格式有误，无法处理'];
  const body = JSON.stringify({ statusCode: status, code, message, fields: [], correlationId: '' });
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
      `X-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** Builds the HTTP application (used by main.ts and by the integration and e2e tests). */
export async function createServerApp(): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule, { bufferLogs: true, bodyParser: false });
  const config = app.get(AppConfig);
  app.useLogger(app.get(Logger));
  app.set('trust proxy', 'loopback');
  app.disable('x-powered-by');
  const security = securityHeaders(config.isProduction);
  app.use(security);
  app.use(pageCompression());

  const pool = app.get(SessionPool);
  const PgStore = connectPgSimple(session);
  // disableTouch: the cookie is not rolling, so a session ends 8 hours after login however it is used; moving
  // its row's expiry on every request would be a database write per request for nothing.
  const pgStore = new PgStore({ pool, tableName: 'session', createTableIfMissing: false, pruneSessionInterval: 15 * 60, disableTouch: true });
  pool.closers.push(() => pgStore.close());
  const store = withSessionCache(pgStore, app.get(AuthCache).sessions);
  const cookieName = config.isProduction ? '__Host-dj.sid' : 'dj.sid';
  (app.getHttpServer() as Server).on('clientError', answerClientError);
  // Ahead of Express: the inbox and its counts for a logged-in capacity (see there for why and what falls through).
  answerFirst(
    app.getHttpServer() as Server,
    inboxFastPath({
      auth: app.get(AuthService),
      tasks: app.get(TasksService),
      store,
      cookieName,
      secret: config.SESSION_SECRET,
      logger: () => PinoLogger.root,
      headers: headersOf(security),
    }),
  );
  app.use(
    session({
      name: cookieName,
      secret: config.SESSION_SECRET,
      store,
      resave: false,
      saveUninitialized: false,
      // No write-back on every request: the session is stored at login and when it changes.
      rolling: false,
      cookie: { httpOnly: true, sameSite: 'lax', secure: config.isProduction, maxAge: 8 * 3600 * 1000 },
    }),
  );

  // req.cookies, for the CSRF check (express-session reads its own cookie).
  app.use(cookieParser());

  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new DomainErrorFilter());

  app.setBaseViewsDir(PAGES_DIR);
  app.setViewEngine('hbs');
  app.set('view options', { layout: 'layouts/main' });
  // Templates compiled once per process, not on every request (Express turns this on only when NODE_ENV=production, and
  // `npm start` runs in development): compiling the filing page and its layout took 10–20 ms of each answer. A changed
  // template is read after a restart.
  app.set('view cache', true);
  const assets = new StaticAssets(path.join(ROOT, 'templates/pages/static'), 3600);
  registerPageHelpers(hbs.handlebars, path.join(PAGES_DIR, 'partials'), assets);
  app.use('/static', assets.middleware());
  // What a browser asks for by itself (a PDF or JSON opened in a tab has no <link rel="icon">): the same icon.
  app.use('/favicon.ico', (_req: Request, res: Response) => res.redirect(301, '/static/favicon.svg'));
  app.useStaticAssets(path.join(ROOT, 'templates/pages/static'), { prefix: '/static/', maxAge: '1h' });

  const openapi = new DocumentBuilder()
    .setTitle('党建工作流与公文审批 API')
    .setDescription('发文、审批、签发、分发、填报、督查、评议、表扬、问责。所有接口需登录（会话 Cookie）并携带 x-csrf-token。')
    .setVersion('0.1.0')
    .addCookieAuth('dj.sid')
    .build();
  SwaggerModule.setup('api/docs', app, () => SwaggerModule.createDocument(app, openapi));

  app.enableShutdownHooks();
  return app;
}
