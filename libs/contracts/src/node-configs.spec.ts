import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NODE_TYPES } from './graph';
import { NODE_CONFIG_SCHEMAS, nodeConfigJsonSchemas } from './node-configs';

// The server's and the schema's answers on sample configs are compared in libs/workflow
// (node-config.schemas.spec.ts), where the validation that uses these schemas lives.
describe('node config schemas', () => {
  it('exist for every node type, and turn into draft-07 JSON Schemas', () => {
    const schemas = nodeConfigJsonSchemas();
    for (const type of NODE_TYPES) {
      expect(NODE_CONFIG_SCHEMAS[type]).toBeDefined();
      expect(schemas[type]).toMatchObject({ $schema: 'http://json-schema.org/draft-07/schema#' });
    }
  });

  it('leave out `additionalProperties: {}` (allowed anyway) and keep the rules written as JSON Schema keywords', () => {
    const text = JSON.stringify(nodeConfigJsonSchemas());
    expect(text).not.toContain('"additionalProperties":{}');
    expect(nodeConfigJsonSchemas().human_gate).toMatchObject({ dependencies: { onTimeout: ['timeoutSeconds'] } });
    expect(nodeConfigJsonSchemas().delay).toMatchObject({ oneOf: [{ required: ['seconds'] }, { required: ['until'] }] });
  });

  it("are what the web app's designer draws its forms from (on a failure: npm run gen:node-schemas, and commit the file)", () => {
    const file = join(__dirname, '..', '..', '..', 'apps', 'web', 'src', 'designer', 'node-config.schemas.json');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(nodeConfigJsonSchemas());
  });
});
