import { Controller, Get, HttpStatus, Inject, Res } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Client } from '@temporalio/client';
import type { Response } from 'express';
import type { TemporalSettings } from '../../runtime/temporal-config';
import { unavailableReason } from '../common/temporal-errors';
import { TEMPORAL_CLIENT, TEMPORAL_SETTINGS } from '../tokens';

const HEALTH_TIMEOUT_MS = 2_000;

export interface HealthReport {
  status: 'ok' | 'unavailable';
  temporal: { address: string | undefined; namespace: string; reachable: boolean; reason?: string };
}

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    @Inject(TEMPORAL_CLIENT) private readonly client: Client,
    @Inject(TEMPORAL_SETTINGS) private readonly settings: TemporalSettings,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Whether the API can reach Temporal' })
  @ApiResponse({ status: 200, description: 'Temporal answers' })
  @ApiResponse({ status: 503, description: 'Temporal does not answer; `temporal.reason` says why' })
  async health(@Res({ passthrough: true }) res: Response): Promise<HealthReport> {
    const temporal = { address: this.settings.address, namespace: this.settings.namespace };
    try {
      const connection = this.client.connection;
      await connection.withDeadline(Date.now() + HEALTH_TIMEOUT_MS, () =>
        connection.workflowService.describeNamespace({ namespace: this.settings.namespace }),
      );
      return { status: 'ok', temporal: { ...temporal, reachable: true } };
    } catch (err) {
      res.status(HttpStatus.SERVICE_UNAVAILABLE);
      return { status: 'unavailable', temporal: { ...temporal, reachable: false, reason: unavailableReason(err) } };
    }
  }
}
