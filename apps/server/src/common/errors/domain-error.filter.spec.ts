import { DriverAdapterError } from '@prisma/driver-adapter-utils';
import { ServiceError } from '@temporalio/client';
import { Prisma } from '../../prisma/client';
import { DomainErrorFilter } from './domain-error.filter';

/** Errors as the pg driver adapter, Prisma and pg raise them while PostgreSQL restarts (seen by the faults bench). */
describe('DomainErrorFilter: the database unreachable for now', () => {
  const filter = new DomainErrorFilter();
  const status = (err: unknown) => filter.toBody(err, 'c1').statusCode;
  const known = (code: string, meta?: Record<string, unknown>) =>
    new Prisma.PrismaClientKnownRequestError('Invalid invocation', { code, clientVersion: '6.19.3', meta });
  const postgres = (code: string, severity: string, message: string) =>
    new DriverAdapterError({ kind: 'postgres', code, severity, message, detail: undefined, column: undefined, hint: undefined });
  const pgError = (code: string, message: string) => Object.assign(new Error(message), { code, severity: 'FATAL' });

  it('answers 503 in Chinese for a server that cannot be reached, went away or is starting up', () => {
    const cases = [
      known('P1001'),
      known('P1017'),
      known('P2010', { driverAdapterError: new DriverAdapterError({ kind: 'DatabaseNotReachable', host: '127.0.0.1', port: 5432 }) }),
      postgres('57P01', 'FATAL', 'terminating connection due to administrator command'),
      postgres('57P03', 'FATAL', 'the database system is starting up'),
      pgError('57P01', 'terminating connection due to administrator command'),
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED', syscall: 'connect', errno: -111 }),
      new Error('Client has encountered a connection error and is not queryable'),
      new Error('Connection terminated unexpectedly'),
    ];
    for (const err of cases) {
      const body = filter.toBody(err, 'c1');
      expect({ err: String(err), status: body.statusCode, code: body.code }).toEqual({ err: String(err), status: 503, code: 'UNAVAILABLE' });
      expect(body.message).toBe('数据库暂时无法连接，请稍后重试');
    }
  });

  it('leaves the other database errors as they were', () => {
    expect(status(known('P2002', { target: ['key'] }))).toBe(409);
    expect(status(known('P2025'))).toBe(404);
    expect(status(postgres('42P01', 'ERROR', 'relation does not exist'))).toBe(500);
    expect(status(new Error('boom'))).toBe(500);
  });
});

/** Errors as the Temporal client raises them while the workflow service is down or restarting (faults bench, scenario e). */
describe('DomainErrorFilter: Temporal unreachable for now', () => {
  const filter = new DomainErrorFilter();
  const grpc = (code: number, details: string) => Object.assign(new Error(`${code} ${details}`), { code, details, metadata: {} });

  it('answers 503 in Chinese, saying nothing saved is lost', () => {
    const cases = [
      new ServiceError('Failed to connect to Temporal server', { cause: grpc(14, 'No connection established') }),
      grpc(14, 'No connection established. Last error: connect ECONNREFUSED 127.0.0.1:7233'),
      new ServiceError('Failed to start Workflow', { cause: grpc(14, 'Connection dropped') }),
      new ServiceError('Failed to query Workflow', { cause: grpc(4, 'Deadline exceeded') }),
    ];
    for (const err of cases) {
      const body = filter.toBody(err, 'c1');
      expect({ err: String(err), status: body.statusCode, code: body.code }).toEqual({ err: String(err), status: 503, code: 'UNAVAILABLE' });
      expect(body.message).toBe('流程服务暂时无法连接，请稍后重试，已保存的内容不受影响');
    }
  });

  it('leaves Temporal errors that are not an outage as they were', () => {
    expect(filter.toBody(new ServiceError('Failed to start Workflow', { cause: grpc(3, 'invalid argument') }), 'c1').statusCode).toBe(500);
    expect(filter.toBody(grpc(7, 'permission denied'), 'c1').statusCode).toBe(500);
  });
});
