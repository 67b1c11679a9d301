// First: the http instrumentation must patch http before express or any client loads it.
import '../../../libs/telemetry/process-tracing';
import 'reflect-metadata';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import compression from 'compression';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { AppConfig, APP_CONFIG, projectPath } from '../../../libs/config';
import { ApiModule } from './api.module';
import { jsonOnly } from './common/json-only.middleware';
import { documentValidatedFields } from './common/openapi';
import { apiValidationPipe } from './common/validation';
import { MetricsService } from './metrics/metrics.service';

export async function createApi(): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(ApiModule, { bufferLogs: true, bodyParser: false, rawBody: true });
  app.useLogger(app.get(Logger));
  // First, so a request's duration covers every middleware and its status is the one sent.
  app.use(app.get(MetricsService).recordRequests);
  // No upgrade-insecure-requests: an agency may serve the UI over plain HTTP inside its network.
  app.use(helmet({ contentSecurityPolicy: { directives: { 'script-src': ["'self'"], 'upgrade-insecure-requests': null } } }));
  // The first load (USWDS CSS and JS, the app's modules) must stay under 500 kB on the wire.
  app.use(compression());
  app.use(jsonOnly);
  app.useBodyParser('json', { limit: '1mb', type: ['application/json', 'application/*+json'] });
  app.setGlobalPrefix('api/v1', { exclude: ['health', 'metrics'] });
  app.useGlobalPipes(apiValidationPipe());
  app.enableShutdownHooks();
  const { corsOrigins } = app.get<AppConfig>(APP_CONFIG);
  // Closed by default: the web UI is same-origin; other origins must be listed in CORS_ORIGINS.
  if (corsOrigins.length) app.enableCors({ origin: corsOrigins, credentials: false });
  const openApi = new DocumentBuilder()
    .setTitle('Exports Desk API')
    .setDescription('American AI Exports Program (EO 14320) workflow engine')
    .setVersion('1')
    .addServer('/', 'This server')
    .addBearerAuth()
    .build();
  SwaggerModule.setup('docs', app, () => {
    documentValidatedFields();
    return SwaggerModule.createDocument(app, openApi);
  });
  // The design system's compiled assets straight from its package: no copy to keep in step.
  const uswds = projectPath('node_modules', '@uswds', 'uswds', 'dist');
  for (const folder of ['css', 'js', 'fonts', 'img']) {
    app.useStaticAssets(join(uswds, folder), { prefix: `/uswds/${folder}`, maxAge: '1d', immutable: false });
  }
  app.useStaticAssets(projectPath('apps', 'web', 'public'), { index: 'index.html' });
  return app;
}

async function bootstrap(): Promise<void> {
  const app = await createApi();
  const config = app.get<AppConfig>(APP_CONFIG);
  await app.listen(config.port, '0.0.0.0');
}

if (require.main === module) {
  bootstrap().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
