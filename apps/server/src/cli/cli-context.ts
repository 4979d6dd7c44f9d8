import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext, Type } from '@nestjs/common';
import fs from 'node:fs';
import path from 'node:path';
import { AuditModule } from '../audit/audit.module';
import { DATA_DIR } from '../common/paths';
import { CalendarService } from '../calendar/calendar.service';
import { loadConfig } from '../config/app-config';
import { ConfigModule } from '../config/config.module';
import { PrismaModule } from '../prisma/prisma.module';
import { SeedDemoService } from './seed-demo.service';

/** The database the start script chose (local, DATABASE_URL or embedded), else the local default. */
export function cliDatabaseUrl(): string {
  if (process.env.DATABASE_URL) return process.env.DATABASE_URL;
  const saved = path.join(DATA_DIR, 'database-url');
  return fs.existsSync(saved) ? fs.readFileSync(saved, 'utf8').trim() : 'postgresql://postgres@127.0.0.1:5432/dangjian';
}

@Module({
  imports: [ConfigModule, PrismaModule, AuditModule],
  providers: [CalendarService, SeedDemoService],
})
class CliModule {}

export async function cliContext(module: Type = CliModule): Promise<INestApplicationContext> {
  // The CLI needs no session secret; give the shared config one so validation passes.
  process.env.SESSION_SECRET ??= 'cli-does-not-use-sessions';
  process.env.DATABASE_URL = cliDatabaseUrl();
  // The organs' certificates are encrypted with the key the start script keeps in .data, unless one is given.
  const signingKey = path.join(DATA_DIR, 'signing-key-secret');
  if (!process.env.SIGNING_KEY_SECRET && fs.existsSync(signingKey)) process.env.SIGNING_KEY_SECRET = fs.readFileSync(signingKey, 'utf8').trim();
  // The audit key the start script generated, so the CLI's own records are signed like the server's.
  const auditKey = path.join(DATA_DIR, 'audit-signing-key');
  if (!process.env.AUDIT_SIGNING_KEY && fs.existsSync(auditKey)) process.env.AUDIT_SIGNING_KEY = fs.readFileSync(auditKey, 'utf8').trim();
  loadConfig();
  return NestFactory.createApplicationContext(module, { logger: ['error'] });
}
