import { Module } from '@nestjs/common';
import { WorkspacesService } from './workspaces.service';

/** Workspaces (the tenants) and who belongs to them with which role. */
@Module({ providers: [WorkspacesService], exports: [WorkspacesService] })
export class WorkspacesModule {}
