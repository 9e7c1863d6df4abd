export { RedisTestServer, RedisTestServerOptions } from './redis-test-server';
export { waitFor, WaitForOptions } from './wait-for';
