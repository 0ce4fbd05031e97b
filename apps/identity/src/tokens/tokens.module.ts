import { Module } from '@nestjs/common';
import { JwtService } from './jwt.service';
import { TokenRevocationService } from './token-revocation.service';

/** Issuing, verifying and revoking bearer tokens. */
@Module({
  providers: [JwtService, TokenRevocationService],
  exports: [JwtService, TokenRevocationService],
})
export class TokensModule {}
