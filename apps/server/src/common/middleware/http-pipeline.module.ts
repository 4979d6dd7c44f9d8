import { Inject, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import express, { NextFunction, Request, RequestHandler, Response } from 'express';
import { DomainError } from '../errors/domain-error';
import { Csrf, CSRF } from './csrf';

/**
 * Body parsing and CSRF run as Nest middleware rather than plain Express middleware, so that
 * malformed JSON and a bad CSRF token reach the one exception filter and get a Chinese 4xx.
 */
/**
 * How deep a JSON body may nest. The deepest form the app takes (a 公文模型 with attachments of blocks) is under 10
 * levels; the validation pipe and class-transformer walk a body recursively, so a body nested thousands deep would
 * overflow the stack there and answer 500.
 */
export const MAX_JSON_DEPTH = 64;

/** express.json, with a parse failure or an absurdly nested body turned into a domain error (Nest would answer it in English). */
function jsonBody(): RequestHandler {
  const json = express.json({ limit: '5mb' });
  return (req: Request, res: Response, next: NextFunction) =>
    json(req, res, (err?: { type?: string }) => {
      if (err?.type === 'entity.parse.failed') {
        next(DomainError.validation([{ field: 'body', message: '请求体不是合法的 JSON' }], '请求体不是合法的 JSON'));
        return;
      }
      if (!err && jsonDepthExceeds(req.body, MAX_JSON_DEPTH)) {
        const message = `提交的内容嵌套超过 ${MAX_JSON_DEPTH} 层，请检查后重新提交`;
        next(DomainError.validation([{ field: 'body', message }], message));
        return;
      }
      next(err as Error | undefined);
    });
}

/** True when `value` nests objects or arrays more than `max` levels deep. Iterative: the check itself cannot overflow. */
export function jsonDepthExceeds(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth >= max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
  }
  return false;
}

@Module({})
export class HttpPipelineModule implements NestModule {
  constructor(@Inject(CSRF) private readonly csrf: Csrf) {}

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(jsonBody(), express.urlencoded({ extended: false, limit: '5mb' }), this.csrf.doubleCsrfProtection).forRoutes('*path');
  }
}
