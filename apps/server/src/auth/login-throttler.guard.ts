import { Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';

/**
 * Login attempts are limited per address and account name (a guessed password), and per address
 * overall (many accounts tried from one place); see the throttlers named in AppModule.
 */
@Injectable()
export class LoginThrottlerGuard extends ThrottlerGuard {
  protected override async getTracker(req: Record<string, unknown>): Promise<string> {
    const ip = String(req.ip ?? '');
    const username = String((req.body as Record<string, unknown> | undefined)?.username ?? '').toLowerCase();
    return `${ip}|${username}`;
  }
}
