import { Module, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { WebStaticMiddleware } from './web-static.middleware';

/** The web app (`apps/web`'s build) at `/`, beside the API; see `WebStaticMiddleware`. */
@Module({})
export class WebModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(WebStaticMiddleware).forRoutes('{*path}');
  }
}
