import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the build step puts the page: build/page beside build/src. */
const PAGE_DIRECTORY = fileURLToPath(new URL('../page/', import.meta.url));

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

export interface PageAsset {
  readonly body: Buffer;
  readonly contentType: string;
  /** A strong ETag of the content. */
  readonly etag: string;
}

/**
 * The page's files (index.html, the bundled script and styles), built by the
 * package's build step and held in memory: served from the package itself,
 * never from a CDN, so the page works without internet.
 */
export class PageAssets {
  private readonly files = new Map<string, PageAsset>();

  constructor(directory = PAGE_DIRECTORY) {
    if (!existsSync(`${directory}index.html`)) {
      throw new Error(`otel-top web: the page is not built (no ${directory}index.html); run \`npm run build\``);
    }
    for (const name of readdirSync(directory)) {
      const contentType = CONTENT_TYPES[extname(name)];
      if (contentType === undefined) continue;
      const body = readFileSync(`${directory}${name}`);
      this.files.set(name, { body, contentType, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"` });
    }
  }

  /** A file by its name (`page.js`); undefined for any other name, so no path reaches the disk. */
  get(name: string): PageAsset | undefined {
    return this.files.get(name);
  }

  get page(): PageAsset {
    const page = this.files.get('index.html');
    if (page === undefined) throw new Error('otel-top web: index.html is missing');
    return page;
  }
}
