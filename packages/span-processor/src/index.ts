export { HttpTaskSpanProcessor } from './http-task-span-processor';
export {
  httpInstrumentationConfig,
  TRACKED_REQUEST_HEADERS,
  TRACKED_RESPONSE_HEADERS,
  TrackingHttpInstrumentationConfig,
} from './http-instrumentation-config';
export { DEFAULT_REDACTED_HEADERS, DEFAULT_REDACTED_QUERY_PARAMS, REDACTED } from './redactor';
export { ATTR_RESPONSE_INCOMPLETE } from './span-task-mapper';
export { TrackingSampler } from './tracking-sampler';
export { HttpTaskSpanProcessorConfig, NameMatcher, OpenSpanCounts } from './types';
