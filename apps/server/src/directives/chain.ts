import type { ChainPlan, Stage } from '../../../../workflows/directive/directive.definitions';

/** How a directive's approval chain is stored (Directive.chain). */
export interface ChainConfig {
  reviewers: string[];
  countersigners: string[];
  signerId: string;
  restartFrom: 'START' | 'RETURNING_STEP';
}

export interface DistributionConfig {
  mode: 'ALL' | 'KINDS' | 'LIST';
  kinds?: string[];
  orgIds?: string[];
  /** The branches resolved at issue time, in distribution order. */
  resolved?: string[];
}

/** The chain as ordered stages: each reviewer alone and in turn, the countersigners together, then the signer. */
export function stagesOf(chain: ChainConfig): { stage: Stage; assignees: string[]; seqs: number[] }[] {
  const stages: { stage: Stage; assignees: string[]; seqs: number[] }[] = chain.reviewers.map((r, i) => ({
    stage: 'REVIEW' as const,
    assignees: [r],
    seqs: [i],
  }));
  if (chain.countersigners.length) stages.push({ stage: 'COUNTERSIGN', assignees: chain.countersigners, seqs: chain.countersigners.map((_, i) => i) });
  stages.push({ stage: 'SIGN', assignees: [chain.signerId], seqs: [0] });
  return stages;
}

export function planOf(chain: ChainConfig, drafterId: string, version: number, round: number): ChainPlan {
  return { drafterId, version, round, restartFrom: chain.restartFrom, stages: stagesOf(chain).map(({ stage, assignees }) => ({ stage, assignees })) };
}

export const STAGE_LABELS: Record<Stage, string> = { REVIEW: '核稿', COUNTERSIGN: '会签', SIGN: '签发' };
