import { loadTracingConfig } from '../config/app-config';
import { startTracing } from './tracing';

/**
 * The process's tracing, started when this module loads: apps/api and apps/worker import it before
 * anything else, because the http instrumentation must patch http before express or a client loads it.
 * So it reads its few variables here (validated in libs/config, like the rest) instead of waiting for
 * the Nest configuration, which is built after those modules are loaded.
 *
 * The service is the app whose entry point runs: dist/apps/<api|worker>/src/main.js.
 */
export const processTracing = startTracing(
  loadTracingConfig(process.env),
  /[\\/]apps[\\/](\w+)[\\/]/.exec(require.main?.filename ?? '')?.[1] ?? 'process',
);
