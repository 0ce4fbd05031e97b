/** The schema used when a caller names none. */
export const DEFAULT_SCHEMA = 'event_store';

/**
 * Validates a schema name before it is spliced into SQL (identifiers cannot be bind parameters).
 * Only plain lower-case identifiers are accepted, so quoting rules never come into play.
 */
export function checkedSchema(schema: string = DEFAULT_SCHEMA): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new Error(`invalid event store schema name "${schema}": use lower-case letters, digits and _`);
  }
  return schema;
}
