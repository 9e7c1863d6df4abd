export { FaultProxy } from './fault-proxy';
export { RedisTestCluster } from './redis-test-cluster';
export { RedisTestServer, RedisTestServerOptions } from './redis-test-server';
export { TestCertificates } from './test-certificates';
export { waitFor, WaitForOptions } from './wait-for';
