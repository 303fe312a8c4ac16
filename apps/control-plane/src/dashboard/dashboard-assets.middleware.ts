import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { statSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import { dashboardAssetsDir, NOT_DASHBOARD } from './dashboard-assets.js';

/**
 * Serves the built dashboard at `/`: its files as they are, any other page path gets
 * index.html (the single-page app routes on the client). API and operations paths pass
 * through untouched. Reads `originalUrl` because Nest mounts middleware on a path.
 */
@Injectable()
export class DashboardAssetsMiddleware implements NestMiddleware {
  private readonly dir = dashboardAssetsDir();

  use(request: Request, response: Response, next: NextFunction): void {
    const path = request.originalUrl.split('?')[0] ?? '/';
    if (!this.dir || (request.method !== 'GET' && request.method !== 'HEAD') || NOT_DASHBOARD.test(path)) return next();
    const file = this.assetFile(path);
    if (file) {
      // Vite names assets by content hash, so they can be cached for long.
      response.sendFile(file, { maxAge: '7d', immutable: true });
      return;
    }
    response.setHeader('Cache-Control', 'no-cache');
    response.sendFile(resolve(this.dir, 'index.html'));
  }

  /** The file under the assets directory this path names, if there is one (never outside it). */
  private assetFile(path: string): string | undefined {
    let relative: string;
    try {
      relative = decodeURIComponent(path).replace(/^\/+/, '');
    } catch {
      return undefined;
    }
    if (!relative || relative === 'index.html') return undefined;
    const file = resolve(this.dir!, relative);
    if (!file.startsWith(this.dir! + sep)) return undefined;
    try {
      return statSync(file).isFile() ? file : undefined;
    } catch {
      return undefined;
    }
  }
}
