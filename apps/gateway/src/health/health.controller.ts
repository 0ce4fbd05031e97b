import { Controller, Get, HttpCode, Inject } from '@nestjs/common';
import type { NatsConnection } from '@nats-io/transport-node';
import { FlowstackError, checkReadiness } from '@flowstack/contracts';
import { NATS_CONNECTION } from '@flowstack/messaging';
import { AuthFeed } from '../auth/auth-feed.cache';
import { Public } from '../auth/public.decorator';

/**
 * Liveness (the process answers) and readiness (it can reach NATS, through which it does everything,
 * and its copy of the auth feed is loaded, without which it refuses every token, and every
 * dependency registered for readiness answers: the NATS round trip, its streams), and not once
 * shutdown has begun. Public.
 */
@Public()
@Controller('api/v1/health')
export class HealthController {
  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    private readonly feed: AuthFeed,
  ) {}

  @Get()
  @HttpCode(200)
  health(): Promise<{ status: string }> {
    return this.readiness();
  }

  @Get('liveness')
  liveness(): { status: string } {
    return { status: 'ok' };
  }

  @Get('readiness')
  async readiness(): Promise<{ status: string }> {
    if (this.nc.isClosed()) throw new FlowstackError('unavailable', 'NATS connection is closed', undefined, 5);
    if (!this.feed.loaded) throw new FlowstackError('unavailable', 'the auth feed is loading', undefined, 1);
    const report = await checkReadiness();
    const failing = report.checks.filter((c) => c.status !== 'ok');
    if (failing.length) {
      const why = failing.map((c) => `${c.name}: ${c.error ?? 'failing'}`).join('; ');
      throw new FlowstackError('unavailable', `not ready (${why})`, undefined, 1);
    }
    return { status: 'ok' };
  }
}
