// Signal, query and update definitions shared by the server (client side) and the workflows.
// Only @temporalio/workflow may be imported here: this file is bundled into the workflow sandbox.
import { defineQuery, defineUpdate } from '@temporalio/workflow';

export interface PingInput {
  message: string;
  /** How long to wait for the acknowledgement before finishing without it. */
  ackTimeoutMs?: number;
  /** How long the activity works before answering (0–10 s): shows that a stopping worker finishes it. */
  holdMs?: number;
}

export interface PingResult {
  echo: string;
  organizations: number;
  ackBy: string | null;
}

export interface AckInput {
  by: string;
}

/** Acknowledges a running ping; the validator refuses an empty name. */
export const ackUpdate = defineUpdate<{ accepted: true; by: string }, [AckInput]>('ack');
export const pingStatusQuery = defineQuery<'waiting' | 'acknowledged' | 'done'>('pingStatus');
