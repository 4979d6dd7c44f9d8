import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Params } from 'nestjs-pino';
import { levels, type Level } from 'pino';
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

/** A request's line: failures as error or warn, successful reads at debug, successful changes at info. */
export function requestLogLevel(req: IncomingMessage, res: ServerResponse, err?: Error): Level {
  return err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : req.method === 'GET' || req.method === 'HEAD' ? 'debug' : 'info';
}
