import { Body, Controller, Get, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Throttle } from '@nestjs/throttler';
import { UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import { AuthedRequest, Public, WithoutCapacity } from '../common/decorators/auth.decorators';
import { Csrf, CSRF } from '../common/middleware/csrf';
import { AuthService } from './auth.service';
import { LoginThrottlerGuard } from './login-throttler.guard';
import { ChooseCapacityDto, LoginDto } from './dto/login.dto';
import { SessionFlow } from './session-flow';

@ApiTags('登录与身份')
@Controller('api/auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly flow: SessionFlow,
    @Inject(CSRF) private readonly csrf: Csrf,
  ) {}

  /** A CSRF token for scripts: bound to the session once logged in, to a pre-login cookie before (no session stored). */
  @Public()
  @Get('csrf')
  token(@Req() req: AuthedRequest, @Res({ passthrough: true }) res: Response) {
    return { csrfToken: this.csrf.generateCsrfToken(req, res, { overwrite: true }) };
  }

  @Public()
  @UseGuards(LoginThrottlerGuard)
  @Throttle({ default: { limit: 10, ttl: 60_000 } })
  @Post('login')
  @HttpCode(200)
  async login(@Body() dto: LoginDto, @Req() req: AuthedRequest, @Res({ passthrough: true }) res: Response) {
    const { personId, name } = await this.auth.verifyLogin(dto.username, dto.password, req.ip ?? '');
    const capacities = await this.flow.startSession(req, personId);
    return {
      person: { id: personId, name },
      capacities,
      current: req.session.membershipId ?? null,
      csrfToken: this.csrf.generateCsrfToken(req, res, { overwrite: true }),
    };
  }

  @WithoutCapacity()
  @Post('logout')
  @HttpCode(200)
  async logout(@Req() req: AuthedRequest, @Res({ passthrough: true }) res: Response) {
    await this.flow.endSession(req, res);
    return { ok: true };
  }

  @WithoutCapacity()
  @Get('me')
  async me(@Req() req: AuthedRequest) {
    const capacities = await this.auth.capacities(req.personId as string);
    return { personId: req.personId, actor: req.actor ?? null, capacities };
  }

  @WithoutCapacity()
  @Post('capacity')
  @HttpCode(200)
  async choose(@Body() dto: ChooseCapacityDto, @Req() req: AuthedRequest) {
    await this.flow.chooseCapacity(req, dto.membershipId);
    return { current: dto.membershipId };
  }
}
