import { Injectable } from '@nestjs/common';
import type { Response } from 'express';
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
    const capacity = await this.auth.assertOwnMembership(req.personId as string, membershipId);
    req.session.membershipId = membershipId;
    await this.auth.recordSession(req.personId as string, { action: 'auth.capacity', capacity });
  }

  /**
   * Ends the session, and tells the browser to forget what this site kept on the device (Clear-Site-Data): the
   * inspector's page and photos kept for use offline, and its queue, which on a shared phone the next person must
   * not see. The page warns before logging out while records are still waiting to be sent (app.js).
   */
  async endSession(req: AuthedRequest, res: Response): Promise<void> {
    const personId = req.session.personId;
    await new Promise<void>((resolve, reject) => req.session.destroy((err) => (err ? reject(err) : resolve())));
    res.setHeader('Clear-Site-Data', '"cache", "storage"');
    if (personId) await this.auth.recordSession(personId, { action: 'auth.logout' });
  }
}
