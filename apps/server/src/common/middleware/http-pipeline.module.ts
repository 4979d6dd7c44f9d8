import { Inject, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import express, { NextFunction, Request, RequestHandler, Response } from 'express';
import { DomainError } from '../errors/domain-error';
import { Csrf, CSRF } from './csrf';

/**
 * Body parsing and CSRF run as Nest middleware rather than plain Express middleware, so that
 * malformed JSON and a bad CSRF token reach the one exception filter and get a Chinese 4xx.
 */
/** express.json, with a parse failure turned into a domain error (Nest would answer it in English). */
function jsonBody(): RequestHandler {
  const json = express.json({ limit: '5mb' });
  return (req: Request, res: Response, next: NextFunction) =>
    json(req, res, (err?: { type?: string }) => {
      if (err?.type === 'entity.parse.failed') {
        next(DomainError.validation([{ field: 'body', message: '请求体不是合法的 JSON' }], '请求体不是合法的 JSON'));
        return;
      }
      next(err as Error | undefined);
    });
}

@Module({})
export class HttpPipelineModule implements NestModule {
  constructor(@Inject(CSRF) private readonly csrf: Csrf) {}

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(jsonBody(), express.urlencoded({ extended: false, limit: '5mb' }), this.csrf.doubleCsrfProtection).forRoutes('*path');
  }
}
