/** How much traffic, for how long. Every bound has a default, so the generator can never run away. */
export interface TrafficGeneratorOptions {
  /** The app's base URL; must be on the loopback interface. */
  baseUrl: string;
  /** New requests per second (default 15). */
  requestsPerSecond?: number;
  /** Most requests in flight; beyond it the generator skips a beat (default 40). */
  maxInFlight?: number;
  /** Most hung requests at once (default 3). */
  maxHung?: number;
  /** A hung request is abandoned by its client after this long (ms, default 45,000). */
  hangMillis?: number;
  /** Any other request is abandoned after this long (ms, default 15,000). */
  requestTimeoutMillis?: number;
  /** The generator stops by itself after this long (ms, default one hour). */
  durationMillis?: number;
}

interface Client {
  ip: string;
  country: string;
  userAgent: string;
}

interface Call {
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
  hangs?: boolean;
}

const USER_AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
  'Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148',
  'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  'curl/8.5.0',
  'python-requests/2.32.3',
];
const COUNTRIES = ['US', 'DE', 'FI', 'FR', 'GB', 'JP', 'BR', 'IN', 'CA', 'AU', 'NL', 'SE'];
// Documentation address ranges (RFC 5737): realistic-looking, owned by nobody.
const NETWORKS = ['192.0.2', '198.51.100', '203.0.113'];

function pick<T>(items: readonly T[]): T {
  return items[Math.floor(Math.random() * items.length)] as T;
}

/**
 * Sends the example shop a realistic mix of requests from a few dozen
 * made-up clients (forwarded-for addresses, countries, user agents): fast
 * pages, products with their stock, slow searches and reports, not-found
 * products, carts, orders that sometimes fail, and a few exports that hang.
 * Bounded in rate, concurrency and time, and it only talks to the loopback
 * interface.
 */
export class TrafficGenerator {
  private readonly url: URL;
  private readonly requestsPerSecond: number;
  private readonly maxInFlight: number;
  private readonly maxHung: number;
  private readonly hangMillis: number;
  private readonly requestTimeoutMillis: number;
  private readonly durationMillis: number;
  private readonly clients: Client[];
  private readonly inFlight = new Set<AbortController>();
  private hung = 0;
  private sent = 0;
  private timer: NodeJS.Timeout | undefined;
  private endTimer: NodeJS.Timeout | undefined;

  constructor(options: TrafficGeneratorOptions) {
    this.url = new URL(options.baseUrl);
    if (!['127.0.0.1', 'localhost', '[::1]'].includes(this.url.hostname)) {
      throw new RangeError(`the traffic generator only talks to the loopback interface, not ${this.url.hostname}`);
    }
    this.requestsPerSecond = Math.min(200, options.requestsPerSecond ?? 15);
    this.maxInFlight = options.maxInFlight ?? 40;
    this.maxHung = options.maxHung ?? 3;
    this.hangMillis = options.hangMillis ?? 45_000;
    this.requestTimeoutMillis = options.requestTimeoutMillis ?? 15_000;
    this.durationMillis = options.durationMillis ?? 3_600_000;
    this.clients = Array.from({ length: 40 }, (_, index) => ({
      ip: `${NETWORKS[index % NETWORKS.length]}.${10 + index * 5}`,
      country: pick(COUNTRIES),
      userAgent: pick(USER_AGENTS),
    }));
  }

  /** Requests sent so far. */
  get requestsSent(): number {
    return this.sent;
  }

  start(): void {
    if (this.timer !== undefined) return;
    this.timer = setInterval(() => this.tick(), Math.max(5, Math.round(1_000 / this.requestsPerSecond)));
    this.endTimer = setTimeout(() => void this.stop(), this.durationMillis);
  }

  /** Stops sending and abandons every request in flight. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    clearTimeout(this.endTimer);
    for (const controller of this.inFlight) controller.abort();
    this.inFlight.clear();
  }

  private tick(): void {
    if (this.inFlight.size >= this.maxInFlight) return;
    const call = this.nextCall();
    const client = pick(this.clients);
    const controller = new AbortController();
    const timeout = setTimeout(() => controller.abort(), call.hangs ? this.hangMillis : this.requestTimeoutMillis);
    this.inFlight.add(controller);
    if (call.hangs) this.hung++;
    this.sent++;
    fetch(new URL(call.path, this.url), {
      method: call.method,
      signal: controller.signal,
      headers: {
        'user-agent': client.userAgent,
        // As a proxy in front of the app would add them.
        'x-forwarded-for': `${client.ip}, 10.0.0.2`,
        'cf-ipcountry': client.country,
        ...(call.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: call.body === undefined ? undefined : JSON.stringify(call.body),
    })
      .then((response) => response.arrayBuffer())
      .catch(() => undefined)
      .finally(() => {
        clearTimeout(timeout);
        this.inFlight.delete(controller);
        if (call.hangs) this.hung--;
      });
  }

  private nextCall(): Call {
    const roll = Math.random() * 100;
    const id = Math.floor(Math.random() * 20) + 1;
    if (roll < 10) return { method: 'GET', path: '/' };
    if (roll < 34) return { method: 'GET', path: '/api/products' };
    if (roll < 50) return { method: 'GET', path: `/api/products/${id}` };
    if (roll < 55) return { method: 'GET', path: `/api/products/${100 + id * 37}` };
    if (roll < 66) return { method: 'GET', path: `/api/search?q=product+${id}` };
    if (roll < 74) return { method: 'POST', path: '/api/cart/items', body: { productId: id } };
    if (roll < 78) return { method: 'GET', path: '/api/cart' };
    if (roll < 88) return { method: 'POST', path: '/api/orders' };
    if (roll < 92) return { method: 'GET', path: `/api/reports/${pick(['daily', 'weekly', 'monthly'])}` };
    if (roll < 94) return { method: 'GET', path: '/api/fail' };
    if (roll < 97) return { method: 'GET', path: `/static/${pick(['logo.png', 'app.css', 'old-page.html'])}` };
    if (this.hung < this.maxHung) return { method: 'GET', path: '/api/export', hangs: true };
    return { method: 'GET', path: '/api/products' };
  }
}
