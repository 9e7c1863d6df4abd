export { RedisTestServer, RedisTestServerOptions } from './redis-test-server';
