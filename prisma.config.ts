import path from 'node:path';
import { defineConfig } from 'prisma/config';
import { MigrationPgAdapter } from './prisma/migration-adapter';

// The schema's datasource names env("DATABASE_URL"); without it the CLI cannot read the schema
// and falls back to downloading a native engine, which these machines cannot reach.
const url = (process.env.DATABASE_URL ??= 'postgresql://postgres@127.0.0.1:5432/dangjian');

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: path.join('prisma', 'schema.prisma'),
  migrations: { path: path.join('prisma', 'migrations') },
  adapter: async () => new MigrationPgAdapter(url),
});
