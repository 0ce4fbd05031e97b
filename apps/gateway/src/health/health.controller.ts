import { Controller, Get, HttpCode, Inject } from '@nestjs/common';
import type { NatsConnection } from '@nats-io/transport-node';
import { FlowstackError } from '@flowstack/contracts';
import { NATS_CONNECTION } from '@flowstack/messaging';

/** Liveness (the process answers) and readiness (it can reach NATS, through which it does everything). */
@Controller('api/v1/health')
export class HealthController {
  constructor(@Inject(NATS_CONNECTION) private readonly nc: NatsConnection) {}

  @Get()
  @HttpCode(200)
  health(): { status: string } {
    return this.readiness();
  }

  @Get('liveness')
  liveness(): { status: string } {
    return { status: 'ok' };
  }

  @Get('readiness')
  readiness(): { status: string } {
    if (this.nc.isClosed()) throw new FlowstackError('unavailable', 'NATS connection is closed', undefined, 5);
    return { status: 'ok' };
  }
}
