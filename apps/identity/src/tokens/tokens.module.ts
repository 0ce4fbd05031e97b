import { Module } from '@nestjs/common';
import { AuthFeedModule } from '../auth-feed/auth-feed.module';
import { JwtService } from './jwt.service';
import { TokenRevocationService } from './token-revocation.service';

/** Issuing, verifying and revoking bearer tokens. */
@Module({
  imports: [AuthFeedModule],
  providers: [JwtService, TokenRevocationService],
  exports: [JwtService, TokenRevocationService],
})
export class TokensModule {}
