import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { NativeConnection, Worker } from '@temporalio/worker';
import fs from 'node:fs';
import path from 'node:path';
import { AppConfig } from '../../server/src/config/app-config';
import { DirectiveFlowService } from '../../server/src/directives/directive-flow.service';
import { FilingFlowService } from '../../server/src/filings/filing-flow.service';
import { SpotCheckFlowService } from '../../server/src/spot-checks/spot-check-flow.service';
import { ReviewFlowService } from '../../server/src/reviews/review-flow.service';
import { AccountabilityFlowService } from '../../server/src/accountability/accountability-flow.service';
import { CommendationFlowService } from '../../server/src/commendations/commendation-flow.service';
import { PrismaService } from '../../server/src/prisma/prisma.service';
import { PROJECT_ROOT as ROOT } from '../../server/src/common/paths';
import { createActivities } from './activities/activities';

/** Built once by scripts/bundle-workflows.js; without it the worker bundles at start (slower, for development). */
export const WORKFLOW_BUNDLE = path.join(ROOT, 'dist/workflow-bundle.js');
const WORKFLOWS_PATH = path.join(ROOT, 'workflows/index.ts');

/** Hosts the Temporal worker inside the Nest application context; shutdown drains in-flight activities. */
@Injectable()
export class TemporalWorkerService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('TemporalWorker');
  private worker?: Worker;
  private connection?: NativeConnection;
  private running?: Promise<void>;

  constructor(
    private readonly config: AppConfig,
    private readonly prisma: PrismaService,
    private readonly directives: DirectiveFlowService,
    private readonly filings: FilingFlowService,
    private readonly spotChecks: SpotCheckFlowService,
    private readonly reviews: ReviewFlowService,
    private readonly accountability: AccountabilityFlowService,
    private readonly commendations: CommendationFlowService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.connection = await NativeConnection.connect({ address: this.config.TEMPORAL_ADDRESS });
    const bundle = fs.existsSync(WORKFLOW_BUNDLE) ? { workflowBundle: { codePath: WORKFLOW_BUNDLE } } : { workflowsPath: WORKFLOWS_PATH };
    this.worker = await Worker.create({
      connection: this.connection,
      namespace: this.config.TEMPORAL_NAMESPACE,
      taskQueue: this.config.TEMPORAL_TASK_QUEUE,
      activities: createActivities({
        prisma: this.prisma,
        directives: this.directives,
        filings: this.filings,
        spotChecks: this.spotChecks,
        reviews: this.reviews,
        accountability: this.accountability,
        commendations: this.commendations,
      }),
      ...bundle,
      shutdownGraceTime: '30 seconds',
    });
    this.running = this.worker.run();
    // A crashed worker must not go unnoticed: fail loudly, the process supervisor restarts it.
    this.running.catch((err) => {
      this.logger.error({ err }, 'Temporal worker stopped with an error');
      process.exitCode = 1;
    });
    this.logger.log(`worker polling task queue ${this.config.TEMPORAL_TASK_QUEUE} on ${this.config.TEMPORAL_ADDRESS}`);
  }

  /**
   * Stopped first, while the database is still there: Nest destroys the root module (this one) before the modules it
   * imports, and PrismaService disconnects in its own onModuleDestroy. Stopped later (beforeApplicationShutdown, as
   * before), activities still running or just started met a disconnected client ("Unknown transaction status") and the
   * shutdown waited on them without end — seen as a hung test run in temporal-outage.spec.
   */
  async onModuleDestroy(): Promise<void> {
    if (this.worker && this.worker.getState() === 'RUNNING') this.worker.shutdown();
    await this.running?.catch(() => undefined);
    await this.connection?.close();
    this.connection = undefined;
  }

  get state(): string {
    return this.worker?.getState() ?? 'NOT_STARTED';
  }
}
