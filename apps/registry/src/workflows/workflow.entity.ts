import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/postgresql';

const WorkflowSchema = defineEntity({
  name: 'Workflow',
  schema: 'registry',
  tableName: 'workflows',
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    /** The owning tenant; every query filters on it, from the request header, never the body. */
    workspaceId: p.uuid(),
    /** Name and description of the current version, kept here so lists need no join. */
    name: p.string(),
    description: p.text().nullable(),
    currentVersion: p.integer(),
    createdAt: p.datetime().onCreate(() => new Date()),
    // The same instant as createdAt on create (props initialize in order): two clock reads can differ by a millisecond.
    updatedAt: p
      .datetime()
      .onCreate((w: { createdAt?: Date }) => w.createdAt ?? new Date())
      .onUpdate(() => new Date()),
    /** Set by delete; a deleted workflow answers `not_found` everywhere. */
    deletedAt: p.datetime().nullable(),
  },
});

/** A workflow: a name over a growing list of immutable versions, the last one current. */
export class Workflow extends WorkflowSchema.class {}
WorkflowSchema.setClass(Workflow);
