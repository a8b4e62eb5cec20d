/**
 * The API as Temporal codec server: the Web UI (started with `--ui-codec-endpoint <API>/codec`)
 * sends the encrypted payloads it shows to `POST /codec/decode` and gets them back readable. Only
 * with PAYLOAD_CODEC_KEYS set; with CODEC_AUTH_TOKEN set, only for `Authorization: Bearer <token>`;
 * without it, only for callers on this machine (a browser beside `npm start`), never the network.
 * Protocol: https://docs.temporal.io/production-deployment/data-encryption#codec-server-setup
 */
import { Body, Controller, ForbiddenException, Headers, HttpCode, HttpStatus, Inject, NotFoundException, Post, Req, UnauthorizedException } from '@nestjs/common';
import type { Request } from 'express';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { z } from 'zod';
import { constantTimeEqual } from '../../applications/framework/webhook-signature';
import { parseOrThrow } from '../common/validation';
import { PAYLOAD_CODEC } from '../tokens';

const Base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64');
const CodecRequest = z.object({
  payloads: z.array(z.object({ metadata: z.record(z.string(), Base64).default({}), data: Base64.default('') })).max(1_000),
});
type JsonPayload = { metadata: Record<string, string>; data: string };

const payloadsSchema = {
  type: 'object',
  required: ['payloads'],
  properties: { payloads: { type: 'array', items: { type: 'object', properties: { metadata: { type: 'object', additionalProperties: { type: 'string', format: 'byte' } }, data: { type: 'string', format: 'byte' } } } } },
};

@ApiTags('codec')
@ApiBearerAuth()
@Controller('codec')
export class CodecController {
  constructor(@Inject(PAYLOAD_CODEC) private readonly codec: PayloadCodec | null) {}

  @Post('encode')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Encrypt payloads (Temporal codec server protocol)' })
  @ApiBody({ schema: payloadsSchema })
  @ApiOkResponse({ schema: payloadsSchema })
  encode(@Body() body: unknown, @Req() req: Request, @Headers('authorization') authorization?: string): Promise<{ payloads: JsonPayload[] }> {
    return this.run(body, req, authorization, (payloads) => this.codec!.encode(payloads));
  }

  @Post('decode')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Decrypt payloads for the Web UI or the CLI (Temporal codec server protocol)' })
  @ApiBody({ schema: payloadsSchema })
  @ApiOkResponse({ schema: payloadsSchema })
  decode(@Body() body: unknown, @Req() req: Request, @Headers('authorization') authorization?: string): Promise<{ payloads: JsonPayload[] }> {
    return this.run(body, req, authorization, (payloads) => this.codec!.decode(payloads));
  }

  private async run(body: unknown, req: Request, authorization: string | undefined, transform: (payloads: Payload[]) => Promise<Payload[]>): Promise<{ payloads: JsonPayload[] }> {
    if (!this.codec) throw new NotFoundException('payload encryption is off (PAYLOAD_CODEC_KEYS is not set)');
    const token = process.env.CODEC_AUTH_TOKEN;
    if (token) {
      if (!authorization) throw new UnauthorizedException('Authorization: Bearer <CODEC_AUTH_TOKEN> required');
      if (!constantTimeEqual(authorization, `Bearer ${token}`)) throw new ForbiddenException('wrong codec token');
    } else if (!isLoopback(req.socket.remoteAddress) || isForwarded(req)) {
      // Decrypting for anyone who can reach the API would undo the encryption.
      throw new UnauthorizedException('the codec server answers other machines only with CODEC_AUTH_TOKEN set');
    }
    const { payloads } = parseOrThrow(CodecRequest, body);
    const input: Payload[] = payloads.map((p) => ({ metadata: Object.fromEntries(Object.entries(p.metadata).map(([k, v]) => [k, Buffer.from(v, 'base64')])), data: Buffer.from(p.data, 'base64') }));
    let output: Payload[];
    try {
      output = await transform(input);
    } catch (err) {
      throw new ForbiddenException(`cannot decode: ${(err as Error).message}`);
    }
    return {
      payloads: output.map((p) => ({
        metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? new Uint8Array()).toString('base64')])),
        data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
      })),
    };
  }
}

/** Through a reverse proxy on this machine, every caller looks local: forwarded requests are not. */
function isForwarded(req: Request): boolean {
  return ['forwarded', 'x-forwarded-for', 'x-real-ip'].some((header) => req.headers[header] !== undefined);
}

function isLoopback(address: string | undefined): boolean {
  return address === '::1' || address?.startsWith('127.') === true || address?.startsWith('::ffff:127.') === true;
}
