import type { INestApplicationContext } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { NestFactory } from '@nestjs/core';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import request from 'supertest';
import { eventually } from './eventually';
import { createServerApp } from '../../apps/server/src/bootstrap';
import { PrismaService } from '../../apps/server/src/prisma/prisma.service';
import { WorkerModule } from '../../apps/worker/src/worker.module';

/**
 * Each test file its own task queue (this module is loaded afresh for every file). Workflows a file leaves running (a
 * directive's reminders, a 公示 in drill time, a fan-out) would otherwise go on in the next file's worker, with that
 * file's drills and database connections. That is the likeliest reason an accountability case did not close within
 * 30 s in one CI run (not reproduced here). The app, the worker and the CLI children a file starts all read it from the
 * environment.
 */
process.env.TEMPORAL_TASK_QUEUE = `test-${randomBytes(4).toString('hex')}`;

/** The real HTTP app on the test database (env set by global setup). */
export async function startApp(): Promise<{ app: NestExpressApplication; prisma: PrismaService; url: string }> {
  const app = await createServerApp();
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  return { app, prisma: app.get(PrismaService), url: `http://127.0.0.1:${address.port}` };
}

/** The real worker (Nest standalone context) polling the test task queue. */
export async function startWorker(opts: { taskQueue?: string } = {}): Promise<INestApplicationContext> {
  const queue = process.env.TEMPORAL_TASK_QUEUE;
  // The configuration is read when the context is built: point it at another queue just for that.
  if (opts.taskQueue) process.env.TEMPORAL_TASK_QUEUE = opts.taskQueue;
  try {
    const ctx = await NestFactory.createApplicationContext(WorkerModule, { logger: ['error'] });
    await ctx.init();
    return ctx;
  } finally {
    process.env.TEMPORAL_TASK_QUEUE = queue;
  }
}

/** A browser-like API session: cookie jar and CSRF token. */
export class ApiSession {
  readonly agent: ReturnType<typeof request.agent>;
  private csrf = '';

  constructor(app: NestExpressApplication) {
    this.agent = request.agent(app.getHttpServer());
  }

  get csrfToken(): string {
    return this.csrf;
  }

  /** A new token (and cookie), as a page load would give. */
  async refreshCsrf(): Promise<string> {
    this.csrf = (await this.agent.get('/api/auth/csrf').expect(200)).body.csrfToken;
    return this.csrf;
  }

  async start(): Promise<this> {
    const res = await this.agent.get('/api/auth/csrf').expect(200);
    this.csrf = res.body.csrfToken;
    return this;
  }

  async login(username: string, password: string): Promise<request.Response> {
    if (!this.csrf) await this.start();
    const res = await this.agent.post('/api/auth/login').set('x-csrf-token', this.csrf).send({ username, password });
    if (res.body?.csrfToken) this.csrf = res.body.csrfToken;
    return res;
  }

  async choose(membershipId: string): Promise<request.Response> {
    return this.post('/api/auth/capacity', { membershipId });
  }

  get(path: string) {
    return this.agent.get(path);
  }

  post(path: string, body?: unknown) {
    return this.agent
      .post(path)
      .set('x-csrf-token', this.csrf)
      .send(body as object);
  }

  patch(path: string, body?: unknown) {
    return this.agent
      .patch(path)
      .set('x-csrf-token', this.csrf)
      .send(body as object);
  }

  put(path: string, body?: unknown) {
    return this.agent
      .put(path)
      .set('x-csrf-token', this.csrf)
      .send(body as object);
  }

  delete(path: string) {
    return this.agent.delete(path).set('x-csrf-token', this.csrf);
  }

  send(method: string, path: string, body?: unknown) {
    const m = method.toLowerCase() as 'get' | 'post' | 'patch' | 'put' | 'delete';
    return m === 'get' ? this.get(path) : this[m](path, body);
  }
}

/** The step id of the caller's pending approval task for a directive, as their inbox shows it (waits for it to appear). */
export async function pendingApprovalStep(session: ApiSession, directiveId: string, who = '审批人'): Promise<string> {
  const inbox = await eventually(
    async () => (await session.get(`/api/inbox?kind=APPROVAL&directiveId=${directiveId}`).expect(200)).body,
    (b) => b.items.length > 0,
    30_000,
    `${who} 的审批待办`,
  );
  return inbox.items[0].data.stepId;
}

/** Submits a drafted directive, has each approver approve their step in turn (核稿, then 签发) and waits until it is issued. */
export async function submitUntilIssued(drafter: ApiSession, directiveId: string, approvers: ApiSession[]): Promise<void> {
  await drafter.post(`/api/directives/${directiveId}/submit`).expect(200);
  for (const s of approvers) {
    const stepId = await pendingApprovalStep(s, directiveId);
    await s.post(`/api/directives/${directiveId}/decisions`, { stepId, decision: 'APPROVE', comment: '', version: 1 }).expect(200);
  }
  await eventually(
    async () => (await drafter.get(`/api/directives/${directiveId}`)).body.status,
    (st) => st === 'ISSUED',
    60_000,
    '印发',
  );
}

/**
 * Runs `work` connected as the database's owner (the role the migrations ran as). The application and the tests'
 * Prisma client connect as a role that owns nothing; only fault injection and tampering tests need the owner.
 */
export async function withOwner<T>(work: (owner: Client) => Promise<T>): Promise<T> {
  const owner = new Client({ connectionString: process.env.DATABASE_OWNER_URL });
  await owner.connect();
  try {
    return await work(owner);
  } finally {
    await owner.end();
  }
}
