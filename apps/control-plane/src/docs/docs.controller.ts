import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Controller, Get, Header, RequestMethod, type OnModuleInit } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { Endpoint, ENDPOINT, type EndpointSpec } from '../http/endpoint.decorator.js';
import { buildOpenApi, type RouteDoc } from './openapi.builder.js';

const require = createRequire(import.meta.url);
export const SWAGGER_UI_DIR: string = join(require.resolve('swagger-ui-dist/package.json'), '..');

function joinPaths(...parts: (string | undefined)[]): string {
  return `/${parts
    .filter(Boolean)
    .map((part) => part!.replace(/^\/|\/$/g, ''))
    .filter(Boolean)
    .join('/')}`;
}

@Controller('docs')
export class DocsController implements OnModuleInit {
  private document: Record<string, unknown> = {};

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  onModuleInit(): void {
    const routes: RouteDoc[] = [];
    for (const wrapper of this.discovery.getControllers()) {
      const instance = wrapper.instance as object | undefined;
      if (!instance || !wrapper.metatype) continue;
      const base = this.reflector.get<string | string[]>(PATH_METADATA, wrapper.metatype);
      const prototype = Object.getPrototypeOf(instance) as Record<string, unknown>;
      for (const name of this.scanner.getAllMethodNames(prototype)) {
        const handler = prototype[name] as object;
        const spec = this.reflector.get<EndpointSpec | undefined>(ENDPOINT, handler as never);
        if (!spec) continue;
        const path = this.reflector.get<string>(PATH_METADATA, handler as never);
        const method = this.reflector.get<RequestMethod>(METHOD_METADATA, handler as never);
        routes.push({ method, path: joinPaths(Array.isArray(base) ? base[0] : base, path), spec });
      }
    }
    routes.sort((a, b) => a.path.localeCompare(b.path));
    this.document = buildOpenApi(routes, '1.0.0');
  }

  @Get('openapi.json')
  @EndpointPublic('The OpenAPI document of this API')
  openapi() {
    return this.document;
  }

  @Get()
  @EndpointPublic('API reference (Swagger UI)')
  @Header('Content-Type', 'text/html; charset=utf-8')
  page() {
    return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>bridgefleet API</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head>
<body><div id="ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/assets/docs-init.js"></script>
</body></html>`;
  }

  @Get('assets/docs-init.js')
  @EndpointPublic('Swagger UI start-up script')
  @Header('Content-Type', 'text/javascript; charset=utf-8')
  init() {
    return `window.ui = SwaggerUIBundle({ url: '/docs/openapi.json', dom_id: '#ui', persistAuthorization: true });`;
  }
}

function EndpointPublic(summary: string): MethodDecorator {
  return Endpoint({ scope: 'public', tag: 'operations', summary });
}
