/**
 * Builds the NestJS application with everything main.ts and the tests share: body limits,
 * Swagger at /docs (JSON at /docs-json), shutdown hooks, and authentication before anything else.
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { json } from 'express';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { cleanupOpenApiDoc } from 'nestjs-zod';
import { AppModule } from './app.module';
import { ApiKeyAuthenticator } from './auth/api-key-authenticator';
import { requireKeyForDocs } from './auth/docs-access';
import { refuseBeforeBody } from './auth/refuse-before-body';
import { declareSecurity } from './auth/swagger-security';
import type { Logger } from 'pino';
import { codecCors } from './codec/codec-cors';
import { ClientErrorFilter } from './common/client-error.filter';
import { PinoNestLogger } from './common/pino-nest-logger';
import { requestLog } from './common/request-log';
import { ZodValidationPipe } from './common/validation';
import { ApiMetrics } from './metrics/api-metrics';
import type { ApiDeps } from './core.module';

export interface CreateAppOptions {
  /** Close the Temporal client when the app closes (false when a test shares the client). */
  closeClientOnShutdown?: boolean;
  logger?: false | Array<'log' | 'error' | 'warn' | 'debug' | 'verbose' | 'fatal'>;
  /** Structured logs: Nest's messages and one line per request go here (pino JSON). */
  log?: Logger;
}

export async function createApp(deps: ApiDeps, options: CreateAppOptions = {}): Promise<NestExpressApplication> {
  const metrics = new ApiMetrics();
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(deps, { closeClientOnShutdown: options.closeClientOnShutdown ?? true }, metrics), {
    rawBody: true, // kept for webhook signature verification
    bodyParser: true,
    logger: options.log ? new PinoNestLogger(options.log) : (options.logger ?? ['log', 'error', 'warn']),
  });
  if (deps.security.trustProxy !== undefined) app.set('trust proxy', deps.security.trustProxy);
  app.use(metrics.middleware);
  // Who is calling is known before any body is read (see ApiKeyAuthenticator).
  app.use(app.get(ApiKeyAuthenticator).middleware);
  if (!deps.security.docsPublic) app.use(['/docs', '/docs-json', '/docs-yaml'], requireKeyForDocs);
  const env = deps.env ?? {};
  app.use('/codec', codecCors(env.CODEC_CORS_ORIGIN || deps.settings.webUiUrl));
  if (options.log) app.use(requestLog(options.log));
  // OpenAPI documents can be large (GitHub's is 13 MB); everything else keeps the small limit.
  app.use('/applications/import', refuseBeforeBody(deps.security, 'admin'), json({ limit: env.IMPORT_BODY_LIMIT || '50mb' }));
  // `application/*+json` too (e.g. CloudEvents' application/cloudevents+json), as the webhook route accepts it.
  app.useBodyParser('json', { limit: env.WEBHOOK_BODY_LIMIT || '1mb', type: ['application/json', 'application/*+json'] });
  app.useBodyParser('urlencoded', { limit: env.WEBHOOK_BODY_LIMIT || '1mb', extended: true });
  app.useGlobalFilters(new ClientErrorFilter(app.getHttpAdapter()));
  // Bodies and queries typed with a zod DTO are parsed before the handler runs: a failure is 400.
  app.useGlobalPipes(new ZodValidationPipe());
  app.enableShutdownHooks();

  // Built on the first request for it, not at start (a tenth of a second of the API's start-up),
  // then kept. cleanupOpenApiDoc turns the DTOs' zod schemas into proper OpenAPI (names, nullable, arrays).
  SwaggerModule.setup('docs', app, () => openApiDocument(app), { jsonDocumentUrl: 'docs-json' });
  return app;
}

function openApiDocument(app: NestExpressApplication): OpenAPIObject {
  const document = cleanupOpenApiDoc(
    SwaggerModule.createDocument(
      app,
      new DocumentBuilder()
        .setTitle('Integration engine API')
        .setDescription('Flows on Temporal: webhooks, flow registry, health. Runs are inspected in the Temporal Web UI.')
        .setVersion('0.1.0')
        .build(),
    ),
  );
  declareSecurity(document);
  return document;
}
