/** One cell of the compatibility matrix, with what that stack can give. */
export interface StackCase {
  name: string;
  node: 20 | 22 | 24;
  /** STACK, OTEL_SDK, HTTP_GENERATION, OTEL_SEMCONV_STABILITY_OPT_IN, WRITE_HEAD for stack-app.cjs. */
  env: Record<string, string>;
  protocol: 'http' | 'https';
  /**
   * The route template of `/items/:id` the task is named after, or undefined where no framework
   * instrumentation gives one. The same stack names the held `/slow/7` by its route while it is active.
   */
  route: string | undefined;
  /** Whether the peer address is known while the request runs (the old conventions set it only at the end). */
  peerWhileActive: boolean;
  /** An app without OTel code started with `node --require|--import @otel-top/register`, instead of stack-app.cjs. */
  zeroCode?: '--require' | '--import';
}

const COLON = '/items/:id';

export const STACK_CASES: StackCase[] = [
  { name: 'node:http', node: 20, env: { STACK: 'http' }, protocol: 'http', route: undefined, peerWhileActive: true },
  {
    name: 'node:http, headers only via writeHead(status, headers)',
    node: 20,
    env: { STACK: 'http', WRITE_HEAD: '1' },
    protocol: 'http',
    route: undefined,
    peerWhileActive: true,
  },
  { name: 'node:https (self-signed)', node: 20, env: { STACK: 'https' }, protocol: 'https', route: undefined, peerWhileActive: true },
  { name: 'Express 4', node: 20, env: { STACK: 'express4' }, protocol: 'http', route: COLON, peerWhileActive: true },
  { name: 'Express 5', node: 20, env: { STACK: 'express5' }, protocol: 'http', route: COLON, peerWhileActive: true },
  // Fastify sends its headers with writeHead(status, headers).
  { name: 'Fastify 5 (@fastify/otel)', node: 20, env: { STACK: 'fastify' }, protocol: 'http', route: COLON, peerWhileActive: true },
  { name: 'Koa 3 (@koa/router)', node: 20, env: { STACK: 'koa' }, protocol: 'http', route: COLON, peerWhileActive: true },
  { name: 'NestJS 11 (Express platform)', node: 20, env: { STACK: 'nest' }, protocol: 'http', route: COLON, peerWhileActive: true },
  { name: 'Hapi 21', node: 20, env: { STACK: 'hapi' }, protocol: 'http', route: '/items/{id}', peerWhileActive: true },
  {
    name: 'node:http, old conventions (instrumentation-http 0.57)',
    node: 20,
    env: { STACK: 'http', HTTP_GENERATION: 'old' },
    protocol: 'http',
    route: undefined,
    peerWhileActive: false,
  },
  {
    name: 'node:http, both conventions (0.57, http/dup)',
    node: 20,
    env: { STACK: 'http', HTTP_GENERATION: 'old', OTEL_SEMCONV_STABILITY_OPT_IN: 'http/dup' },
    protocol: 'http',
    route: undefined,
    peerWhileActive: true,
  },
  {
    name: 'Express 4 on SDK 1.x (instrumentation-http 0.57)',
    node: 20,
    env: { STACK: 'express4', OTEL_SDK: '1' },
    protocol: 'http',
    route: COLON,
    peerWhileActive: false,
  },
  {
    name: 'Express 4 on SDK 1.x, both conventions (http/dup)',
    node: 20,
    env: { STACK: 'express4', OTEL_SDK: '1', OTEL_SEMCONV_STABILITY_OPT_IN: 'http/dup' },
    protocol: 'http',
    route: COLON,
    peerWhileActive: true,
  },
  { name: 'node:http', node: 22, env: { STACK: 'http' }, protocol: 'http', route: undefined, peerWhileActive: true },
  { name: 'Express 5', node: 22, env: { STACK: 'express5' }, protocol: 'http', route: COLON, peerWhileActive: true },
  { name: 'Fastify 5 (@fastify/otel)', node: 22, env: { STACK: 'fastify' }, protocol: 'http', route: COLON, peerWhileActive: true },
  { name: 'node:http', node: 24, env: { STACK: 'http' }, protocol: 'http', route: undefined, peerWhileActive: true },
  { name: 'Express 5', node: 24, env: { STACK: 'express5' }, protocol: 'http', route: COLON, peerWhileActive: true },
  ...([20, 22, 24] as const).flatMap((node) =>
    (['--require', '--import'] as const).map((flag) => ({
      name: `zero code: node ${flag} @otel-top/register, ES module app`,
      node,
      env: {},
      protocol: 'http' as const,
      route: undefined,
      peerWhileActive: true,
      zeroCode: flag,
    })),
  ),
  { name: 'NestJS 11 (Express platform)', node: 24, env: { STACK: 'nest' }, protocol: 'http', route: COLON, peerWhileActive: true },
];
