import { CallHandler, ExecutionContext, HttpStatus, Injectable, NestInterceptor } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { createHash } from 'node:crypto';
import { from, lastValueFrom, Observable } from 'rxjs';
import type { AuthedRequest } from '../decorators/auth.decorators';
import { DomainError } from '../errors/domain-error';
import { canonicalJson } from '../../audit/audit-hash';
import { IdempotencyStore, Recorded } from './idempotency.store';

/** The form field the pages' script adds to every form (a double-clicked button posts the same key twice). */
export const FORM_KEY_FIELD = '_idem';
const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const KEY_PATTERN = /^[A-Za-z0-9_.:-]{8,100}$/;
/** How long a repeat waits for the first request with its key to finish before it is told to try later. */
const WAIT_MS = 15_000;

/**
 * Every mutating endpoint acts once per idempotency key (the `Idempotency-Key` header of the IETF draft, or the
 * `_idem` field the pages' script adds to each form): the first request runs and its answer is recorded; a repeat
 * with the same key and the same request — a double click, a retry after a timeout — gets the recorded answer
 * (header `Idempotent-Replayed: true`) without acting again; one arriving while the first still runs waits for it.
 * The same key with a different request is refused. Keys are per person and kept for a day. A request that fails
 * records nothing (its transaction rolled back), so trying again acts. Requests without a key are untouched.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly store: IdempotencyStore,
    private readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const req = context.switchToHttp().getRequest<AuthedRequest & Request>();
    const res = context.switchToHttp().getResponse<Response>();
    if (!MUTATING.has(req.method)) return next.handle();
    const key = this.takeKey(req);
    if (key === undefined) return next.handle();
    // Before login there is nobody to scope the key to: the login form is harmless to repeat.
    if (!req.personId) return next.handle();
    return from(this.run(context, next, req, res, req.personId, key));
  }

  /** The key from the header or the form (removed from the body, so no form or DTO sees it). */
  private takeKey(req: Request): string | undefined {
    const body = req.body as Record<string, unknown> | undefined;
    const fromForm = body && typeof body === 'object' && typeof body[FORM_KEY_FIELD] === 'string' ? (body[FORM_KEY_FIELD] as string) : undefined;
    if (body && typeof body === 'object' && FORM_KEY_FIELD in body) delete body[FORM_KEY_FIELD];
    const key = req.get('idempotency-key') ?? fromForm;
    if (key === undefined) return undefined;
    if (!KEY_PATTERN.test(key))
      throw DomainError.validation([{ field: 'Idempotency-Key', message: '防重复提交标识须为 8 至 100 个字母、数字或 _ . : - 字符' }]);
    return key;
  }

  private async run(context: ExecutionContext, next: CallHandler, req: Request, res: Response, personId: string, key: string): Promise<unknown> {
    const fingerprint = createHash('sha256')
      .update(`${req.method} ${req.originalUrl}\n${req.is('multipart/form-data') ? '' : canonicalJson(req.body ?? null)}`)
      .digest('hex');
    const claim = await this.store.claim(personId, key, fingerprint, WAIT_MS);
    if (claim.kind === 'other-request') throw DomainError.conflict('此防重复提交标识已用于另一项操作，请刷新页面后重试');
    if (claim.kind === 'busy') throw DomainError.conflict('同一操作正在处理中，请稍候刷新页面查看结果');
    if (claim.kind === 'done') return this.replay(res, claim.recorded);

    let result: unknown;
    try {
      result = await lastValueFrom(next.handle(), { defaultValue: undefined });
    } catch (err) {
      await this.store.release(personId, key);
      throw err;
    }
    const recorded = this.recordable(context, req, res, result);
    if (recorded) await this.store.complete(personId, key, recorded);
    else await this.store.release(personId, key);
    return result;
  }

  /**
   * What a repeat should get: a JSON answer with its status, or a redirect (a page form's answer). A page rendered in
   * place (a form shown again with its errors) or a streamed file is not recorded: a repeat simply runs again.
   */
  private recordable(context: ExecutionContext, req: Request, res: Response, result: unknown): Recorded | null {
    if (res.headersSent || res.writableEnded) {
      const location = res.getHeader('location');
      if (res.statusCode >= 300 && res.statusCode < 400 && typeof location === 'string') return { status: res.statusCode, location };
      return null;
    }
    if (result !== undefined && (result === null || typeof result !== 'object' || Buffer.isBuffer(result) || result instanceof Observable)) return null;
    const status =
      this.reflector.get<number | undefined>(HTTP_CODE_METADATA, context.getHandler()) ?? (req.method === 'POST' ? HttpStatus.CREATED : HttpStatus.OK);
    return { status, body: result === undefined ? null : JSON.parse(JSON.stringify(result)) };
  }

  /** The recorded answer again: a redirect is sent here (its route answers through the response itself). */
  private replay(res: Response, recorded: Recorded): unknown {
    res.setHeader('Idempotent-Replayed', 'true');
    if (recorded.location) {
      res.redirect(recorded.status, recorded.location);
      return undefined;
    }
    res.status(recorded.status);
    return recorded.body;
  }
}
