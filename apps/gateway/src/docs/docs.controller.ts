import { Controller, Get, Header } from '@nestjs/common';
import { Public } from '../auth/public.decorator';
import { DOCS_PAGE_HTML } from './docs-page';
import { buildOpenApiDocument, type OpenApiDocument } from './openapi-document';

/** Built once when the module loads: the routes and schemas are fixed for the process's life. */
const DOCUMENT = buildOpenApiDocument();

/** `/api/docs`: the OpenAPI 3.1 document and a page that renders it. Public, like health. */
@Public()
@Controller('api/docs')
export class DocsController {
  @Get('openapi.json')
  openApi(): OpenApiDocument {
    return DOCUMENT;
  }

  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  page(): string {
    return DOCS_PAGE_HTML;
  }
}
