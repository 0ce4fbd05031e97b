// The designer's node config forms are generated from the JSON Schemas of the node configs, which
// come from libs/contracts' NODE_CONFIG_SCHEMAS (the registry validates with the same schemas).
// apps/web/src/designer/node-config.schemas.json is committed, so the web build needs no zod;
//   npm run gen:node-schemas       rewrites it
// libs/contracts/src/node-configs.spec.ts fails when the committed file is out of date.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { format, resolveConfig } from 'prettier';
import { nodeConfigJsonSchemas } from '@flowstack/contracts';

export const NODE_CONFIG_SCHEMAS_FILE = join(__dirname, '..', 'apps', 'web', 'src', 'designer', 'node-config.schemas.json');

if (require.main === module) {
  void (async () => {
    const options = (await resolveConfig(NODE_CONFIG_SCHEMAS_FILE)) ?? {};
    const text = await format(JSON.stringify(nodeConfigJsonSchemas()), { ...options, parser: 'json' });
    writeFileSync(NODE_CONFIG_SCHEMAS_FILE, text);
    console.log(`wrote ${NODE_CONFIG_SCHEMAS_FILE}`);
  })();
}
