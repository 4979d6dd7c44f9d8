import { Inject, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import express from 'express';
import { Csrf, CSRF } from './csrf';

/**
 * Body parsing and CSRF run as Nest middleware rather than plain Express middleware, so that
 * malformed JSON and a bad CSRF token reach the one exception filter and get a Chinese 4xx.
 */
@Module({})
export class HttpPipelineModule implements NestModule {
  constructor(@Inject(CSRF) private readonly csrf: Csrf) {}

  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(express.json({ limit: '5mb' }), express.urlencoded({ extended: false, limit: '5mb' }), this.csrf.doubleCsrfProtection)
      .forRoutes('*path');
  }
}
