import { Module } from '@nestjs/common';
import { AuthFeedPublisher } from './auth-feed.publisher';

/** Publishes revocations and memberships to the gateways (the auth feed's KV buckets). */
@Module({ providers: [AuthFeedPublisher], exports: [AuthFeedPublisher] })
export class AuthFeedModule {}
