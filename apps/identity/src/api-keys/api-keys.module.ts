import { Module } from '@nestjs/common';
import { AuditModule } from '@flowstack/orm';
import { AuthFeedModule } from '../auth-feed/auth-feed.module';
import { ApiKeysHandlers } from './api-keys.handlers';
import { ApiKeysService } from './api-keys.service';

/** Workspace API keys over `Rpc.apiKeys`. */
@Module({ imports: [AuditModule, AuthFeedModule], controllers: [ApiKeysHandlers], providers: [ApiKeysService] })
export class ApiKeysModule {}
