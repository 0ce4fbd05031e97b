import { Module } from '@nestjs/common';
import { AuditModule } from '@flowstack/orm';
import { AuthFeedModule } from '../auth-feed/auth-feed.module';
import { AuthModule } from '../auth/auth.module';
import { TokensModule } from '../tokens/tokens.module';
import { WorkspacesModule } from '../workspaces/workspaces.module';
import { OidcLoginService } from './oidc-login.service';
import { OidcHandlers } from './oidc.handlers';

/** OpenID Connect login (authorization code + PKCE) over NATS; `not_found` while `OIDC_ISSUER_URL` is unset. */
@Module({
  imports: [AuditModule, AuthFeedModule, AuthModule, TokensModule, WorkspacesModule],
  controllers: [OidcHandlers],
  providers: [OidcLoginService],
})
export class OidcModule {}
