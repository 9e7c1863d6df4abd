export { appInstrumentations } from './app-instrumentations';
export { OtelEnvironment } from './otel-environment';
export { ShutdownHooks } from './shutdown-hooks';
export { TrackingSdk } from './tracking-sdk';
export { OtelExportChoice, TrackingSdkConfig } from './types';
