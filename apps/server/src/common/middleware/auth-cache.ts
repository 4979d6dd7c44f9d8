import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Client } from 'pg';
import type { Actor } from '../../audit/actor';
import { AppConfig } from '../../config/app-config';
import { TtlCache } from './ttl-cache';

/** The channel the triggers of migration 20261122030000_auth_change_notify notify on. */
export const AUTH_CHANNEL = 'dj_auth_changed';
/**
 * How long a session or a resolved capacity may be served from memory. Every server process LISTENs on
 * AUTH_CHANNEL, so a logout, a capacity change or a deactivation of a person, membership or organisation —
 * made by any process on any host, or by the CLI — empties the caches of every process within milliseconds.
 * The time limit only bounds what a lost notification can cost: a change made with the triggers bypassed
 * (TRUNCATE, session_replication_role = replica) leaves a deactivated account able to act for up to this long
 * in each process that had it cached. While a process's LISTEN connection is down it caches nothing.
 */
export const AUTH_CACHE_TTL_MS = 5000;
const RECONNECT_MS = { first: 1000, max: 30_000 };

export interface ResolvedActor {
  person: { id: string; name: string; active: boolean };
  actor: Actor;
}

/** The per-request authentication lookups kept in memory: sessions by id (as the store's JSON) and capacities. */
@Injectable()
export class AuthCache implements OnModuleInit, OnModuleDestroy {
  readonly sessions = new TtlCache<string>({ ttlMs: AUTH_CACHE_TTL_MS, max: 20_000 });
  /** By `${personId}:${membershipId}`: who the person is and the capacity they act in. */
  readonly actors = new TtlCache<ResolvedActor>({ ttlMs: AUTH_CACHE_TTL_MS, max: 20_000 });
  private readonly logger = new Logger(AuthCache.name);
  private client?: Client;
  private retry?: NodeJS.Timeout;
  private retryMs = RECONNECT_MS.first;
  private stopped = false;

  constructor(private readonly config: AppConfig) {
    this.setEnabled(false);
  }

  async onModuleInit(): Promise<void> {
    await this.listen();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    this.setEnabled(false);
    await this.client?.end().catch(() => undefined);
  }

  /** True while changes are being heard, i.e. while the caches are in use. */
  get listening(): boolean {
    return this.sessions.enabled;
  }

  private setEnabled(on: boolean): void {
    this.sessions.setEnabled(on);
    this.actors.setEnabled(on);
  }

  /** A payload is `session:<sid>` for one session, anything else for every capacity (changes are rare). */
  private heard(payload: string | undefined): void {
    if (payload?.startsWith('session:')) this.sessions.delete(payload.slice('session:'.length));
    else this.actors.clear();
  }

  private async listen(): Promise<void> {
    const client = new Client({ connectionString: this.config.DATABASE_URL });
    this.client = client;
    const lost = (err?: Error) => {
      if (this.client !== client) return;
      this.client = undefined;
      this.setEnabled(false);
      void client.end().catch(() => undefined);
      if (this.stopped) return;
      // Said once per outage; the retries back off to every 30 s while the database is away.
      if (this.retryMs === RECONNECT_MS.first) this.logger.warn(`登录缓存已停用，重新监听数据库通知中：${err?.message ?? '连接已关闭'}`);
      this.retry = setTimeout(() => void this.listen(), this.retryMs);
      this.retry.unref();
      this.retryMs = Math.min(this.retryMs * 2, RECONNECT_MS.max);
    };
    client.on('error', lost);
    client.on('end', () => lost());
    client.on('notification', (msg) => this.heard(msg.payload));
    try {
      await client.connect();
      await client.query(`LISTEN ${AUTH_CHANNEL}`);
      // Anything cached before this point may have missed a notification.
      if (this.client === client && !this.stopped) {
        if (this.retryMs !== RECONNECT_MS.first) this.logger.log('已重新监听数据库通知，登录缓存恢复');
        this.retryMs = RECONNECT_MS.first;
        this.setEnabled(true);
      }
    } catch (err) {
      lost(err as Error);
    }
  }
}
