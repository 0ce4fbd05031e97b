import { Module, type DynamicModule } from '@nestjs/common';
import { AuditModule } from '@flowstack/orm';
import { VersionCache } from './version-cache';
import { WorkflowsHandlers } from './workflows.handlers';
import { WorkflowsService } from './workflows.service';

/** What the workflows capability reads from the registry's settings. */
export interface WorkflowsSettings {
  /** Entries of the in-process cache of immutable versions (`VERSION_CACHE_SIZE`); 0 turns it off. */
  versionCacheSize: number;
}

/** Workflows and their immutable versions over NATS. */
@Module({})
export class WorkflowsModule {
  static forRoot(settings: WorkflowsSettings): DynamicModule {
    return {
      module: WorkflowsModule,
      imports: [AuditModule],
      controllers: [WorkflowsHandlers],
      providers: [{ provide: VersionCache, useFactory: () => new VersionCache(settings.versionCacheSize) }, WorkflowsService],
    };
  }
}
