import { Module } from '@nestjs/common';
import { WorkspacesModule } from '../workspaces/workspaces.module';
import { PasswordHasher } from './password.hasher';
import { ProfileService } from './profile.service';

/** Users: their password hashes and their profile. */
@Module({
  imports: [WorkspacesModule],
  providers: [PasswordHasher, ProfileService],
  exports: [PasswordHasher, ProfileService],
})
export class UsersModule {}
