// The web app's typed API client is generated from the gateway's OpenAPI document, never written by
// hand. `npm run gen:web-api` rewrites apps/web/src/api/schema.d.ts (committed); the web e2e fails
// when the committed file differs from what the running gateway's document generates.
//   node -r @swc-node/register tools/web-api-types.ts
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import openapiTS, { astToString } from 'openapi-typescript';
import { format, resolveConfig } from 'prettier';

export const WEB_API_TYPES_FILE = join(__dirname, '..', 'apps', 'web', 'src', 'api', 'schema.d.ts');

const BANNER = '// Generated from the gateway OpenAPI document by tools/web-api-types.ts: do not edit.\n';

/** The `paths`/`components` types of an OpenAPI document, as openapi-typescript prints them. */
export async function renderWebApiTypes(document: object): Promise<string> {
  const ast = await openapiTS(document as Parameters<typeof openapiTS>[0], { alphabetize: true });
  const options = (await resolveConfig(WEB_API_TYPES_FILE)) ?? {};
  return format(BANNER + astToString(ast), { ...options, parser: 'typescript' });
}

if (require.main === module) {
  void (async () => {
    const { buildOpenApiDocument } = await import('../apps/gateway/src/docs/openapi-document');
    writeFileSync(WEB_API_TYPES_FILE, await renderWebApiTypes(buildOpenApiDocument()));
    console.log(`wrote ${WEB_API_TYPES_FILE}`);
  })();
}
