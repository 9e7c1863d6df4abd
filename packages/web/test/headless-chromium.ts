import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BrowserContext, chromium } from 'playwright-core';

/** The system's Chromium (Debian's `chromium` package); playwright's own browser download cannot be reached here. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const MISSING =
  `Chromium was not found at ${CHROMIUM}. The page's tests drive a real headless Chromium; install it with ` +
  '`sudo apt-get install chromium` (Debian/Ubuntu), or point CHROMIUM_PATH at a Chromium or Chrome binary.';

/**
 * A real headless Chromium for the page's tests, driven by playwright-core,
 * with a fresh profile of its own (--user-data-dir) that is removed when it closes. It only
 * ever loads pages on loopback.
 */
export class HeadlessChromium {
  private constructor(
    private readonly context: BrowserContext,
    private readonly profile: string,
  ) {}

  static async launch(): Promise<HeadlessChromium> {
    if (!existsSync(CHROMIUM)) throw new Error(MISSING);
    const profile = mkdtempSync(join(tmpdir(), 'otel-top-chromium-'));
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
      viewport: { width: 1400, height: 1000 },
    });
    return new HeadlessChromium(context, profile);
  }

  /** A new tab. Tabs share the profile, and so the cookies. */
  newPage(): ReturnType<BrowserContext['newPage']> {
    return this.context.newPage();
  }

  async close(): Promise<void> {
    await this.context.close().catch(() => undefined);
    rmSync(this.profile, { recursive: true, force: true });
  }
}
