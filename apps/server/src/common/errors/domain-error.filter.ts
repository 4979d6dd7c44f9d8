import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { isGrpcServiceError, ServiceError } from '@temporalio/client';
import type { Request, Response } from 'express';
import { Prisma } from '../../prisma/client';
import { DomainError, ErrorCode, FieldError, STATUS_OF } from './domain-error';
import { plainWords } from './plain-words';

interface ErrorBody {
  statusCode: number;
  code: string;
  message: string;
  fields: FieldError[];
  correlationId: string;
  detail?: Record<string, unknown>;
}

const HTTP_MESSAGES: Record<number, [ErrorCode | string, string]> = {
  400: [ErrorCode.VALIDATION, '请求有误'],
  401: [ErrorCode.UNAUTHENTICATED, '请先登录'],
  403: [ErrorCode.FORBIDDEN, '当前身份无权进行此操作'],
  404: [ErrorCode.NOT_FOUND, '请求的地址或资源不存在'],
  405: ['METHOD_NOT_ALLOWED', '不支持此请求方法'],
  413: ['PAYLOAD_TOO_LARGE', '提交的内容过大'],
  415: ['UNSUPPORTED_MEDIA_TYPE', '不支持的内容类型'],
  429: [ErrorCode.RATE_LIMITED, '操作过于频繁，请稍后再试'],
};

/** Prisma's codes for a database it cannot reach or lost the connection to. */
const PRISMA_UNREACHABLE = new Set(['P1001', 'P1002', 'P1008', 'P1017']);
/** What the pg driver adapter calls the same (DriverAdapterError.cause.kind). */
const ADAPTER_UNREACHABLE = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections']);
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE']);
/** SQLSTATE of a server going away or not yet back: connection exceptions (08…), shutdown / starting up (57P…), too many connections. */
const unavailableState = (code: unknown) => typeof code === 'string' && (/^(08|57P)/.test(code) || code === '53300');
/** pg's own messages for a connection that is gone (they carry no code). */
const PG_GONE = /Connection terminated|not queryable|timeout exceeded when trying to connect/;

interface AdapterErrorShape {
  name?: string;
  cause?: { kind?: string; code?: string; originalCode?: string };
}

/**
 * The database is unreachable for now (restarting, down, out of connections): a 503 the user can retry, not a 500.
 * Seen as Prisma errors (P1001…), as the driver adapter's own error (kind, or a PostgreSQL SQLSTATE), or from the
 * plain pg pools (the session store, the read pool).
 */
export function databaseUnavailable(exception: unknown): boolean {
  if (exception instanceof Prisma.PrismaClientInitializationError) return true;
  const adapter = (a: AdapterErrorShape | undefined) =>
    a?.name === 'DriverAdapterError' &&
    (ADAPTER_UNREACHABLE.has(a.cause?.kind ?? '') || (a.cause?.kind === 'postgres' && unavailableState(a.cause.originalCode ?? a.cause.code)));
  if (exception instanceof Prisma.PrismaClientKnownRequestError)
    return PRISMA_UNREACHABLE.has(exception.code) || adapter(exception.meta?.driverAdapterError as AdapterErrorShape | undefined);
  const e = exception as (AdapterErrorShape & { code?: unknown; message?: unknown }) | null;
  if (!e || typeof e !== 'object') return false;
  return adapter(e) || SOCKET_CODES.has(String(e.code)) || unavailableState(e.code) || (typeof e.message === 'string' && PG_GONE.test(e.message));
}

/** gRPC status codes of a Temporal server that is down, restarting or not answering in time. */
const GRPC_UNREACHABLE = new Set([14 /* UNAVAILABLE */, 4 /* DEADLINE_EXCEEDED */]);

/**
 * Temporal (the workflow service) cannot be reached for now: the connection could not be made (the client's
 * ServiceError "Failed to connect…") or a call failed with UNAVAILABLE / DEADLINE_EXCEEDED after the client's retries,
 * seen directly or as the cause of the client's ServiceError. A 503 the user can retry, not a 500.
 */
export function temporalUnavailable(exception: unknown): boolean {
  for (let e = exception, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (isGrpcServiceError(e) && GRPC_UNREACHABLE.has(e.code)) return true;
    if (e instanceof ServiceError && /Failed to connect/.test(e.message)) return true;
  }
  return false;
}

/**
 * A service the request needs is unreachable for now, as a DomainError (503) in Chinese for the person to retry; pages
 * show it in place, keeping the form. Undefined for any other error.
 */
export function outageError(exception: unknown): DomainError | undefined {
  if (temporalUnavailable(exception)) return new DomainError(ErrorCode.UNAVAILABLE, '流程服务暂时无法连接，请稍后重试，已保存的内容不受影响');
  if (databaseUnavailable(exception)) return new DomainError(ErrorCode.UNAVAILABLE, '数据库暂时无法连接，请稍后重试');
  return undefined;
}

/** The one exception filter: maps domain errors to statuses, hides internals of unexpected ones. */
@Catch()
export class DomainErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const req = ctx.getRequest<Request & { id?: string }>();
    const res = ctx.getResponse<Response>();
    const body = this.toBody(exception, String(req.id ?? ''));
    if (body.statusCode >= 500) {
      this.logger.error({ err: exception, correlationId: body.correlationId }, 'unexpected error');
    }
    if (res.headersSent) return;
    const wantsPage = !req.path.startsWith('/api') && req.accepts(['json', 'html']) === 'html';
    if (wantsPage && req.method === 'GET' && body.statusCode === 401) {
      res.redirect(303, `/login?next=${encodeURIComponent(req.originalUrl)}`);
      return;
    }
    // Opened from a bookmark or a link before choosing in which capacity to act: choose, then come back here.
    if (wantsPage && req.method === 'GET' && body.code === ErrorCode.CAPACITY_REQUIRED) {
      res.redirect(303, `/capacity?next=${encodeURIComponent(req.originalUrl)}`);
      return;
    }
    if (wantsPage) {
      res.status(body.statusCode).render('error', { title: '出错了', error: body });
      return;
    }
    res.status(body.statusCode).json(body);
  }

  toBody(exception: unknown, correlationId: string): ErrorBody {
    if (exception instanceof DomainError) {
      // In plain words for people (plain-words.ts); `fields[].field` keeps the path for programs.
      return {
        statusCode: STATUS_OF[exception.code],
        code: exception.code,
        message: plainWords(exception.message),
        fields: exception.fields.map((f) => ({ field: f.field, message: plainWords(f.message) })),
        correlationId,
        ...(exception.detail ? { detail: exception.detail } : {}),
      };
    }
    const parse = exception as { type?: string; status?: number; code?: string };
    if (parse?.code === 'EBADCSRFTOKEN') {
      return { statusCode: 403, code: ErrorCode.CSRF, message: '表单已过期或来源不可信，请刷新页面后重试', fields: [], correlationId };
    }
    if (parse?.type === 'entity.too.large') {
      return { statusCode: 413, code: 'PAYLOAD_TOO_LARGE', message: '提交的内容过大', fields: [], correlationId };
    }
    if (exception instanceof Prisma.PrismaClientKnownRequestError) {
      if (exception.code === 'P2002') {
        const target = (exception.meta?.target as string[] | string | undefined) ?? '';
        const field = Array.isArray(target) ? target.join(',') : String(target);
        return {
          statusCode: 409,
          code: ErrorCode.CONFLICT,
          message: '填写的内容与已有记录重复，不能重复',
          fields: [{ field, message: '已存在，不能重复' }],
          correlationId,
        };
      }
      if (exception.code === 'P2025') {
        return { statusCode: 404, code: ErrorCode.NOT_FOUND, message: '记录不存在', fields: [], correlationId };
      }
    }
    const outage = outageError(exception);
    if (outage) return { statusCode: 503, code: outage.code, message: outage.message, fields: [], correlationId };
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const [code, message] = HTTP_MESSAGES[status] ?? ['HTTP_ERROR', '请求无法处理'];
      if (status < 500) return { statusCode: status, code, message, fields: [], correlationId };
    }
    return { statusCode: 500, code: 'INTERNAL', message: `服务器内部错误，请联系管理员并提供编号 ${correlationId}`, fields: [], correlationId };
  }
}
