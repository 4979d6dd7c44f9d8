import type { NestExpressApplication } from '@nestjs/platform-express';
import { SessionPool } from '../../apps/server/src/common/middleware/session-pool';
import { Role } from '../../apps/server/src/prisma/client';
import type { PrismaService } from '../../apps/server/src/prisma/prisma.service';
import { makeCommittee, makePerson, PASSWORD } from '../support/factories';
import { ApiSession, startApp } from '../support/test-app';

/**
 * A restart of PostgreSQL cuts every connection, the idle ones of the session store's pool too (found by
 * `npm run bench -- faults`: the server processes died of the pool's unheard 'error' event and the requests of the
 * outage hung). The cut connection is dropped, the process lives on and the next login gets a new connection.
 */
describe('the session pool when the database cuts its connections', () => {
  let app: NestExpressApplication;
  let prisma: PrismaService;

  beforeAll(async () => {
    ({ app, prisma } = await startApp());
  });
  afterAll(async () => {
    await app.close();
  });

  it('drops an idle connection the database terminated, and logins go on', async () => {
    const pool = app.get(SessionPool);
    const { rows } = await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    expect(pool.idleCount).toBeGreaterThan(0);
    const removed = new Promise<void>((resolve) => pool.once('remove', () => resolve()));
    // What a restart of PostgreSQL does to each connection (the server process's own role may end its own backends).
    await prisma.$queryRaw`SELECT pg_terminate_backend(${rows[0].pid}::int)`;
    await removed;

    const committee = await makeCommittee(prisma);
    const person = await makePerson(prisma, [{ orgId: committee.id, role: Role.COMMITTEE_STAFF }]);
    const login = await new ApiSession(app).login(person.username, PASSWORD);
    expect(login.status).toBe(200);
    const { rows: after } = await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    expect(after[0].pid).not.toBe(rows[0].pid);
  });
});
