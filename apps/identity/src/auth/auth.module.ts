import { Module } from '@nestjs/common';
import { AuditModule } from '@flowstack/orm';
import { AuthFeedModule } from '../auth-feed/auth-feed.module';
import { TokensModule } from '../tokens/tokens.module';
import { UsersModule } from '../users/users.module';
import { WorkspacesModule } from '../workspaces/workspaces.module';
import { AuthHandlers } from './auth.handlers';
import { LoginService } from './login.service';
import { PrincipalResolver } from './principal.resolver';
import { RegistrationService } from './registration.service';
import { SignInAudit } from './sign-in-audit';

/** Register, login, me, resolve and logout over NATS. */
@Module({
  imports: [AuditModule, AuthFeedModule, TokensModule, UsersModule, WorkspacesModule],
  controllers: [AuthHandlers],
  providers: [RegistrationService, LoginService, PrincipalResolver, SignInAudit],
  exports: [SignInAudit],
})
export class AuthModule {}
