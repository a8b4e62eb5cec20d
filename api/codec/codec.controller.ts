/**
 * The API as Temporal codec server: the Web UI (started with `--ui-codec-endpoint <API>/codec`)
 * sends the encrypted payloads it shows to `POST /codec/decode` and gets them back readable. Only
 * with PAYLOAD_CODEC_KEYS set, and only for `Authorization: Bearer` with an API key of scope read
 * or CODEC_AUTH_TOKEN (a token good for these routes only). Being on this machine counts for
 * nothing: behind a local reverse proxy, everyone is.
 * Protocol: https://docs.temporal.io/production-deployment/data-encryption#codec-server-setup
 */
import { Body, Controller, ForbiddenException, HttpCode, HttpStatus, Inject, NotFoundException, Post } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { z } from 'zod';
import { AcceptsCodecToken, RequireScope } from '../auth/scopes';
import { requestDto, responseDto } from '../common/openapi';
import { parseOrThrow } from '../common/validation';
import { PAYLOAD_CODEC } from '../tokens';

const Base64 = z
  .string()
  .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64')
  .meta({ format: 'byte' });
const CodecRequest = z.object({
  payloads: z.array(z.object({ metadata: z.record(z.string(), Base64).default({}), data: Base64.default('') })).max(1_000),
});
const CodecResponse = z.object({ payloads: z.array(z.object({ metadata: z.record(z.string(), Base64), data: Base64 })) });
type CodecResponse = z.infer<typeof CodecResponse>;

/**
 * For Swagger only: the body is parsed in `run`, after the check that encryption is on (404),
 * so it is not typed with this DTO (the global pipe would check it first).
 */
class CodecPayloadsDto extends requestDto(CodecRequest) {}
class CodecPayloadsResponse extends responseDto(CodecResponse) {}

@ApiTags('codec')
@RequireScope('read')
@AcceptsCodecToken()
@Controller('codec')
export class CodecController {
  constructor(@Inject(PAYLOAD_CODEC) private readonly codec: PayloadCodec | null) {}

  @Post('encode')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Encrypt payloads (Temporal codec server protocol)' })
  @ApiBody({ type: CodecPayloadsDto })
  @ApiOkResponse({ type: CodecPayloadsResponse })
  encode(@Body() body: unknown): Promise<CodecResponse> {
    return this.run(body, (payloads) => this.codec!.encode(payloads));
  }

  @Post('decode')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Decrypt payloads for the Web UI or the CLI (Temporal codec server protocol)' })
  @ApiBody({ type: CodecPayloadsDto })
  @ApiOkResponse({ type: CodecPayloadsResponse })
  decode(@Body() body: unknown): Promise<CodecResponse> {
    return this.run(body, (payloads) => this.codec!.decode(payloads));
  }

  private async run(body: unknown, transform: (payloads: Payload[]) => Promise<Payload[]>): Promise<CodecResponse> {
    if (!this.codec) throw new NotFoundException('payload encryption is off (PAYLOAD_CODEC_KEYS is not set)');
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
