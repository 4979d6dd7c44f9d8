import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Params } from 'nestjs-pino';
import { levels, type Level, type TransportSingleOptions } from 'pino';
import { AppConfig } from '../config/app-config';

/** pino with a correlation id per request (taken from x-request-id when a proxy sets one). */
export function loggerOptions(app: 'server' | 'worker') {
  return {
    inject: [AppConfig],
    useFactory: (config: AppConfig): Params => {
      const threshold = levels.values[config.LOG_LEVEL] ?? levels.values.info;
      return {
        pinoHttp: {
          level: config.LOG_LEVEL,
          base: { app },
          genReqId: (req: IncomingMessage) => (req.headers['x-request-id'] as string | undefined)?.slice(0, 64) || randomUUID(),
          customProps: (req: IncomingMessage) => ({ correlationId: (req as IncomingMessage & { id?: string }).id }),
          redact: ['req.headers.cookie', 'req.headers["x-csrf-token"]', 'res.headers["set-cookie"]'],
          autoLogging: { ignore: (req: IncomingMessage) => req.url === '/api/health' },
          ...prettyInDevelopment(config),
          // Successful reads are most of the traffic (every inbox page, the counts each page polls): logged at debug,
          // so the default level writes the changes and every failure, each with its correlation id. A line below the
          // configured level is 'silent', which tells pino-http to skip it altogether: otherwise it still builds the
          // line's objects and message for pino to drop, a tenth of the server's CPU per inbox request (profiled).
          customLogLevel: (req: IncomingMessage, res: ServerResponse, err?: Error) => {
            const level = requestLogLevel(req, res, err);
            return levels.values[level] >= threshold ? level : 'silent';
          },
        },
      };
    },
  };
}

/**
 * In development (the default, what `npm start` runs) one short readable line per entry, through pino-pretty, e.g.
 *   [2025-01-06 09:30:12] INFO: server [NestApplication] Nest application successfully started
 *   [2025-01-06 09:30:20] INFO: server request completed POST /api/directives 201 35ms
 * (an error's stack still follows on its own lines). In production and in the tests the plain JSON lines, one object
 * each with every field, correlation id included, for the log collector and the tests to read.
 *
 * pino-pretty runs as a pino transport, in a worker thread of the process that logs: every server process of the
 * cluster (main.ts), the primary and the worker each have their own, writing whole lines to the shared stdout.
 */
export function prettyInDevelopment(config: AppConfig): { transport?: TransportSingleOptions } {
  if (config.NODE_ENV !== 'development') return {};
  return {
    transport: {
      target: 'pino-pretty',
      options: {
        singleLine: true,
        translateTime: 'SYS:yyyy-mm-dd HH:MM:ss',
        // Shown by messageFormat below instead, or of no use on a developer's terminal.
        ignore: 'pid,hostname,app,role,context,req,res,responseTime,correlationId',
        messageFormat:
          '{app}{if role}/{role}{end}{if context} [{context}]{end} {msg}' +
          '{if req.method} {req.method} {req.url}{end}{if res.statusCode} {res.statusCode}{end}{if responseTime} {responseTime}ms{end}',
      },
    },
  };
}

/** A request's line: failures as error or warn, successful reads at debug, successful changes at info. */
export function requestLogLevel(req: IncomingMessage, res: ServerResponse, err?: Error): Level {
  return err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : req.method === 'GET' || req.method === 'HEAD' ? 'debug' : 'info';
}
