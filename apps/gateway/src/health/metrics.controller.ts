import { Controller, Get, Header } from '@nestjs/common';
import { metricsRegistry } from '@flowstack/service-kit';
import { Public } from '../auth/public.decorator';

/**
 * `GET /metrics`: the gateway's metrics in Prometheus text format on its own HTTP port (the other
 * services open `METRICS_PORT` for it). Outside `/api/v1` and without auth, like health, for a
 * scraper; a deployment that exposes the gateway publicly keeps `/metrics` off its ingress.
 */
@Public()
@Controller('metrics')
export class MetricsController {
  @Get()
  @Header('Content-Type', metricsRegistry.contentType)
  @Header('Cache-Control', 'no-store')
  metrics(): Promise<string> {
    return metricsRegistry.metrics();
  }
}
