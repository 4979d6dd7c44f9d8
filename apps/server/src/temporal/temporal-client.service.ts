import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';
import { AppConfig } from '../config/app-config';

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
      this.connection = await Connection.connect({ address: this.config.TEMPORAL_ADDRESS, connectTimeout: '5 seconds' });
      return new Client({ connection: this.connection, namespace: this.config.TEMPORAL_NAMESPACE });
    })().catch((err) => {
      this.clientPromise = undefined; // try again on the next call
      throw err;
    });
    return this.clientPromise;
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
