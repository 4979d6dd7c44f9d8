/** Expected failures, each mapped to one HTTP status in DomainErrorFilter. */
export enum ErrorCode {
  VALIDATION = 'VALIDATION',
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  LOGIN_FAILED = 'LOGIN_FAILED',
  FORBIDDEN = 'FORBIDDEN',
  /** Logged in with several capacities and none chosen yet: pages send the person to choose one. */
  CAPACITY_REQUIRED = 'CAPACITY_REQUIRED',
  NOT_FOUND = 'NOT_FOUND',
  CONFLICT = 'CONFLICT',
  RATE_LIMITED = 'RATE_LIMITED',
  /** A file over the upload limit, or an upload over the day's quota. */
  TOO_LARGE = 'TOO_LARGE',
  CSRF = 'CSRF',
  UNAVAILABLE = 'UNAVAILABLE',
  /** Accepted by its workflow, not yet finished within the wait (temporal/update-errors.ts): it finishes later. */
  PENDING = 'PENDING',
}

export const STATUS_OF: Record<ErrorCode, number> = {
  [ErrorCode.VALIDATION]: 400,
  [ErrorCode.UNAUTHENTICATED]: 401,
  [ErrorCode.LOGIN_FAILED]: 401,
  [ErrorCode.FORBIDDEN]: 403,
  [ErrorCode.CAPACITY_REQUIRED]: 403,
  [ErrorCode.NOT_FOUND]: 404,
  [ErrorCode.CONFLICT]: 409,
  [ErrorCode.RATE_LIMITED]: 429,
  [ErrorCode.TOO_LARGE]: 413,
  [ErrorCode.CSRF]: 403,
  [ErrorCode.UNAVAILABLE]: 503,
  [ErrorCode.PENDING]: 202,
};

export interface FieldError {
  field: string;
  message: string;
}

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields: FieldError[] = [],
    /** What the client needs to resolve the error (a version conflict: the other session's values), sent as `detail`. */
    readonly detail?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainError';
  }

  static validation(fields: FieldError[], message = '提交的数据有误'): DomainError {
    const detail = fields.map((f) => f.message).join('；');
    return new DomainError(ErrorCode.VALIDATION, detail && detail !== message ? `${message}：${detail}` : message, fields);
  }

  static notFound(what: string): DomainError {
    return new DomainError(ErrorCode.NOT_FOUND, `${what}不存在或无权查看`);
  }

  static forbidden(message = '当前身份无权进行此操作'): DomainError {
    return new DomainError(ErrorCode.FORBIDDEN, message);
  }

  static tooLarge(field: string, message: string): DomainError {
    return new DomainError(ErrorCode.TOO_LARGE, message, [{ field, message }]);
  }

  static conflict(message: string, detail?: Record<string, unknown>): DomainError {
    return new DomainError(ErrorCode.CONFLICT, message, [], detail);
  }
}
