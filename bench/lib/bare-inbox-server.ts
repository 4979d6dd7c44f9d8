/**
 * The inbox bench's baseline: the same inbox statements as the product (the SQL of TasksService's inboxQuery, for the
 * same actor and page size, built by the bench and handed over in BARE_INBOX_ROUTES), answered by node:http and a pg
 * Pool (prepared statements, 10 connections per process like the product's ReadPool) with no framework, no session,
 * no logging. The page is shaped and serialised exactly as TasksService.inbox shapes it. One process per core
 * (node:cluster, WEB_CONCURRENCY) like the product server, so the two differ only in what the product adds.
 *
 *   BARE_INBOX_ROUTES='{"/api/inbox": {"text": "…", "values": […], "limit": 20}}' DATABASE_URL=… PORT=… \
 *     node -r @swc-node/register bench/lib/bare-inbox-server.ts
 */
import cluster from 'node:cluster';
import * as http from 'node:http';
import * as os from 'node:os';
import { Pool } from 'pg';

export interface BareRoute {
  text: string;
  values: unknown[];
  /** The page size: the statement asks for one row more, to tell whether there is a next page. */
  limit: number;
}

interface Row {
  id: string;
  dueAt: Date | null;
  directiveId: string | null;
  documentId: string | null;
  documentTitle: string | null;
  docNumber: string | null;
  filingId: string | null;
  filingStatus: string | null;
  [column: string]: unknown;
}

function serve(routes: Record<string, BareRoute & { name: string }>, port: number): void {
  const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
  pool.on('error', () => undefined);
  http
    .createServer((req, res) => {
      const route = req.method === 'GET' ? routes[req.url ?? ''] : undefined;
      if (!route) {
        res.writeHead(404).end();
        return;
      }
      pool.query<Row>({ name: route.name, text: route.text, values: route.values }).then(
        ({ rows }) => {
          // As TasksService.inbox: the page, its directive and filing nested, and the next cursor.
          const items = rows.slice(0, route.limit).map(({ documentId, documentTitle, docNumber, filingId, filingStatus, ...t }) => ({
            ...t,
            directive: t.directiveId && documentId ? { id: t.directiveId, document: { id: documentId, title: documentTitle, docNumber } } : null,
            filing: filingId ? { id: filingId, status: filingStatus } : null,
          }));
          const last = items[items.length - 1];
          const body = JSON.stringify({
            tab: 'todo',
            items,
            next: rows.length > route.limit && last ? `${last.dueAt ? last.dueAt.getTime() : 'inf'}_${last.id}` : null,
          });
          res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
          res.end(body);
        },
        (err: Error) => {
          res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end(err.message);
        },
      );
    })
    .listen(port, '127.0.0.1');
}

function main(): void {
  const raw = JSON.parse(process.env.BARE_INBOX_ROUTES ?? '{}') as Record<string, BareRoute>;
  const routes = Object.fromEntries(Object.entries(raw).map(([url, r], i) => [url, { ...r, name: `bare_${i + 1}` }]));
  const port = Number(process.env.PORT);
  const count = process.env.WEB_CONCURRENCY ? Number(process.env.WEB_CONCURRENCY) : os.availableParallelism();
  if (cluster.isPrimary && count > 1) {
    for (let i = 0; i < count; i++) cluster.fork();
    cluster.on('exit', () => process.exit(1));
    process.on('SIGTERM', () => process.exit(0));
    return;
  }
  serve(routes, port);
}

main();
