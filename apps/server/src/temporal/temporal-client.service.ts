import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Client, Connection, defaultGrpcRetryOptions, makeGrpcRetryInterceptor } from '@temporalio/client';
import type { WorkflowUpdateHandle } from '@temporalio/client';
import { AppConfig } from '../config/app-config';
import { runUpdate } from './update-errors';

/** Attempts of one call to Temporal while it cannot be reached (see `client()`). */
export const TEMPORAL_CALL_ATTEMPTS = 7;

/** The server's Temporal client. Connects lazily, so the API starts (and reports it) even when Temporal is down. */
@Injectable()
export class TemporalClientService implements OnApplicationShutdown {
  private connection?: Connection;
  private clientPromise?: Promise<Client>;

  constructor(private readonly config: AppConfig) {}

  get taskQueue(): string {
    return this.config.TEMPORAL_TASK_QUEUE;
  }

  client(): Promise<Client> {
    this.clientPromise ??= (async () => {
      this.connection = await Connection.connect({
        address: this.config.TEMPORAL_ADDRESS,
        connectTimeout: '5 seconds',
        // A call retries an unreachable server for about 6 s (7 attempts, backoff from 170 ms), not the default's
        // 20 s: long enough to ride out a restart, short enough that the person gets a 503 to retry within 10 s.
        interceptors: [makeGrpcRetryInterceptor(defaultGrpcRetryOptions({ maxAttempts: TEMPORAL_CALL_ATTEMPTS }))],
        // Once Temporal is back, reconnect within 3 s: gRPC's default backoff grows to 120 s, and after an outage of a
        // minute the server kept answering 503 for another two.
        channelArgs: { 'grpc.initial_reconnect_backoff_ms': 500, 'grpc.max_reconnect_backoff_ms': 3000 },
      });
      return new Client({ connection: this.connection, namespace: this.config.TEMPORAL_NAMESPACE });
    })().catch((err) => {
      this.clientPromise = undefined; // try again on the next call
      throw err;
    });
    return this.clientPromise;
  }

  /**
   * A person's action as an Update: `start` sends it (`startUpdate` / `startUpdateWithStart` with
   * `waitForStage: 'ACCEPTED'`); the answer comes within UPDATE_WAIT_SECONDS (update-errors.ts).
   */
  update<T>(start: () => Promise<WorkflowUpdateHandle<T>>): Promise<T> {
    return runUpdate(start, this.config.UPDATE_WAIT_SECONDS * 1000);
  }

  /** For the health check: can we reach the namespace right now? */
  async check(): Promise<{ ok: boolean; detail: string }> {
    try {
      const client = await this.client();
      await Promise.race([
        client.workflowService.describeNamespace({ namespace: this.config.TEMPORAL_NAMESPACE }),
        new Promise((_, reject) => setTimeout(() => reject(new Error('超时')), 3000)),
      ]);
      return { ok: true, detail: `${this.config.TEMPORAL_ADDRESS} / ${this.config.TEMPORAL_NAMESPACE}` };
    } catch (err) {
      return { ok: false, detail: `无法连接 Temporal（${this.config.TEMPORAL_ADDRESS}）：${(err as Error).message}` };
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.connection?.close();
  }
}
