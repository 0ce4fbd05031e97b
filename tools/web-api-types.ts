// The web app's typed API client is generated from the gateway's OpenAPI document, never written by
// hand. apps/web/src/api/schema.d.ts is committed;
//   npm run gen:web-api                     rewrites it from the document the gateway builds
//   ... tools/web-api-types.ts --check [--from <gateway url>]
// exits 1 when the committed file differs from what the document (in-process, or as a running
// gateway serves it at /api/docs/openapi.json) generates; the web e2e runs that against the platform.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import openapiTS, { astToString } from 'openapi-typescript';
import { format, resolveConfig } from 'prettier';

export const WEB_API_TYPES_FILE = join(__dirname, '..', 'apps', 'web', 'src', 'api', 'schema.d.ts');

const BANNER = '// Generated from the gateway OpenAPI document by tools/web-api-types.ts: do not edit.\n';

/** The `paths`/`components` types of an OpenAPI document, as openapi-typescript prints them, formatted. */
export async function renderWebApiTypes(document: object): Promise<string> {
  const ast = await openapiTS(document as Parameters<typeof openapiTS>[0], { alphabetize: true });
  const options = (await resolveConfig(WEB_API_TYPES_FILE)) ?? {};
  return format(BANNER + astToString(ast), { ...options, parser: 'typescript' });
}

async function documentFrom(baseUrl: string | undefined): Promise<object> {
  if (baseUrl) return (await (await fetch(`${baseUrl}/api/docs/openapi.json`)).json()) as object;
  const { buildOpenApiDocument } = await import('../apps/gateway/src/docs/openapi-document');
  return buildOpenApiDocument();
}

if (require.main === module) {
  void (async () => {
    const at = process.argv.indexOf('--from');
    const types = await renderWebApiTypes(await documentFrom(at > 0 ? process.argv[at + 1] : undefined));
    if (!process.argv.includes('--check')) {
      writeFileSync(WEB_API_TYPES_FILE, types);
      console.log(`wrote ${WEB_API_TYPES_FILE}`);
    } else if (readFileSync(WEB_API_TYPES_FILE, 'utf8') !== types) {
      console.error(`${WEB_API_TYPES_FILE} is stale: run \`npm run gen:web-api\` and commit it`);
      process.exitCode = 1;
    } else console.log('web API types are current');
  })();
}
