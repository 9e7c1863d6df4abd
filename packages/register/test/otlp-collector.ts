import { createServer, Server } from 'node:http';

/** A span as OTLP/JSON carries it, reduced to what the tests look at. */
export interface CollectedSpan {
  name: string;
  kind: number;
  attributes: Record<string, unknown>;
}

interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
}

interface OtlpRequest {
  resourceSpans?: Array<{
    scopeSpans?: Array<{ spans?: Array<{ name: string; kind: number; attributes?: Array<{ key: string; value: OtlpValue }> }> }>;
  }>;
}

/** A real OTLP/HTTP JSON endpoint on loopback that keeps the spans it receives. */
export class OtlpCollector {
  readonly spans: CollectedSpan[] = [];

  private constructor(private readonly server: Server) {}

  static async start(): Promise<OtlpCollector> {
    const server = createServer();
    const collector = new OtlpCollector(server);
    server.on('request', (req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (body += chunk));
      req.on('end', () => {
        collector.collect(JSON.parse(body) as OtlpRequest);
        res.setHeader('content-type', 'application/json');
        res.end('{}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return collector;
  }

  get tracesUrl(): string {
    const address = this.server.address();
    return `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}/v1/traces`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private collect(request: OtlpRequest): void {
    for (const resourceSpans of request.resourceSpans ?? []) {
      for (const scopeSpans of resourceSpans.scopeSpans ?? []) {
        for (const span of scopeSpans.spans ?? []) {
          const attributes: Record<string, unknown> = {};
          for (const { key, value } of span.attributes ?? []) attributes[key] = value.stringValue ?? value.intValue;
          this.spans.push({ name: span.name, kind: span.kind, attributes });
        }
      }
    }
  }
}
