import { Body, Controller, Headers, HttpCode, HttpStatus, Inject, Param, Post, Req, Res, type RawBodyRequest } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { LoggedRun } from '../common/request-log';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBody,
  ApiConsumes,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiPayloadTooLargeResponse,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnauthorizedResponse,
  ApiUnsupportedMediaTypeResponse,
} from '@nestjs/swagger';
import { SpanKind, SpanStatusCode, type Tracer } from '@opentelemetry/api';
import { Public } from '../auth/scopes';
import { TRACER } from '../tokens';
import { WebhookAcceptedResponse } from './webhook-accepted';
import { WebhookHandshake, WebhooksService, type WebhookAccepted, type WebhookDelivery } from './webhooks.service';

@ApiTags('webhooks')
@Public()
@Controller('webhooks')
export class WebhooksController {
  constructor(
    private readonly webhooks: WebhooksService,
    @Inject(TRACER) private readonly tracer: Tracer | null,
  ) {}

  @Post('*path')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary: 'Deliver a webhook to the flow listening on this path',
    description:
      "Verifies the signature with the channel's secret (every webhook flow names its application's scheme, or opted in to unsigned deliveries: see `trigger.signature` in GET /flows; a scheme that signs the URL, as HubSpot's v3 does, is checked against PUBLIC_URL and this request's path and query), validates the body against the schema of every flow on this path, then starts each flow or signals its entity workflow. Answers only after Temporal accepted every run.\n\n" +
      "The delivery id dedupes: it is part of a started run's workflow id (a redelivery answers 202 with `duplicate: true` and starts nothing), and an entity workflow ignores a signal whose delivery id it applied. It comes from signed material (`trigger.deliveryId` in GET /flows): a signed id header (Standard Webhooks' `webhook-id`), the event id in a signed body (Stripe's `id`, or the flow's `bodyField`), the events' ids of a signed array of events (HubSpot's `eventId`: one event's id, or `events-<32 hex>` for a batch), else the hash of a signed body (`sha256-<32 hex>`), so a captured delivery resent under a new header id is still a duplicate. An unsigned flow's header id is combined with the body's hash (`<id>-<16 hex>`), so nobody can pre-empt a future delivery by posting first under its id.",
  })
  @ApiConsumes('application/json', 'application/x-www-form-urlencoded')
  @ApiParam({ name: 'path', description: "The flow's webhook path, e.g. demo-crm/orders", example: 'demo-crm/orders' })
  @ApiHeader({
    name: 'X-Delivery-Id',
    required: false,
    description: "Provider delivery id (or the flow's `deliveryIdHeader`): 1-128 of letters, digits and . _ : - (else 400); how it counts is described above",
  })
  @ApiBody({ description: "JSON body; its schema is the flow's bodySchema in GET /flows", schema: { type: 'object' } })
  @ApiAcceptedResponse({ description: "Temporal accepted the run(s): the first flow's at the top, every flow's in `runs` (fan-out)", type: WebhookAcceptedResponse })
  @ApiOkResponse({ description: "A verified handshake the application answers itself (Slack's url_verification: `{ challenge }`); nothing was started" })
  @ApiBadRequestResponse({ description: "The body breaks a flow's schema; `issues` names each field" })
  @ApiUnauthorizedResponse({ description: 'Missing, wrong, or stale signature; nothing was started' })
  @ApiNotFoundResponse({ description: 'No flow listens on this path, or no such enabled channel' })
  @ApiPayloadTooLargeResponse({ description: 'Body above WEBHOOK_BODY_LIMIT (default 1mb)' })
  @ApiUnsupportedMediaTypeResponse({ description: 'Neither JSON nor form-encoded' })
  @ApiServiceUnavailableResponse({ description: 'Temporal is not reachable; nothing was started' })
  async deliver(
    @Param('path') path: string | string[],
    @Body() body: unknown,
    @Headers() headers: Record<string, string>,
    @Req() request: RawBodyRequest<Request>,
    @Res({ passthrough: true }) response: Response,
  ): Promise<WebhookAccepted | unknown> {
    const delivery = { path: Array.isArray(path) ? path.join('/') : path, body, rawBody: request.rawBody, headers, method: request.method, requestUrl: request.originalUrl };
    const accepted = this.tracer ? await this.traced(this.tracer, delivery) : await this.webhooks.accept(delivery);
    if (accepted instanceof WebhookHandshake) {
      response.status(HttpStatus.OK);
      return accepted.body;
    }
    const run: LoggedRun = { workflowId: accepted.workflowId, runId: accepted.runId, flow: accepted.runs[0]?.flow, channelId: accepted.channelId };
    response.locals.run = run;
    return accepted;
  }

  /** The trace starts here; Temporal's client interceptor carries it into the runs it starts. */
  private traced(tracer: Tracer, delivery: WebhookDelivery): Promise<WebhookAccepted | WebhookHandshake> {
    return tracer.startActiveSpan(`webhook ${delivery.path}`, { kind: SpanKind.SERVER, attributes: { 'http.request.method': 'POST', 'url.path': `/webhooks/${delivery.path}` } }, async (span) => {
      try {
        const accepted = await this.webhooks.accept(delivery);
        if (accepted instanceof WebhookHandshake) return accepted;
        span.setAttributes({ 'temporal.workflow_id': accepted.workflowId, 'temporal.run_id': accepted.runId, 'engine.channel_id': accepted.channelId });
        return accepted;
      } catch (err) {
        span.recordException(err as Error);
        span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
        throw err;
      } finally {
        span.end();
      }
    });
  }
}
