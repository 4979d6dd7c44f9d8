import { Injectable } from '@nestjs/common';
import type { AuthedRequest } from '../common/decorators/auth.decorators';
import { AuthService, Capacity } from './auth.service';
import './session.types';

/** Session transitions shared by the API and the pages. */
@Injectable()
export class SessionFlow {
  constructor(private readonly auth: AuthService) {}

  /** A new session id on login (no fixation); a single capacity is chosen at once. */
  async startSession(req: AuthedRequest, personId: string): Promise<Capacity[]> {
    await new Promise<void>((resolve, reject) => req.session.regenerate((err) => (err ? reject(err) : resolve())));
    const capacities = await this.auth.capacities(personId);
    req.session.personId = personId;
    req.session.membershipId = capacities.length === 1 ? capacities[0].membershipId : undefined;
    await new Promise<void>((resolve, reject) => req.session.save((err) => (err ? reject(err) : resolve())));
    return capacities;
  }

  async chooseCapacity(req: AuthedRequest, membershipId: string): Promise<void> {
    await this.auth.assertOwnMembership(req.personId as string, membershipId);
    req.session.membershipId = membershipId;
  }

  async endSession(req: AuthedRequest): Promise<void> {
    await new Promise<void>((resolve, reject) => req.session.destroy((err) => (err ? reject(err) : resolve())));
  }
}
