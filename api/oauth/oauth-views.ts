/** The OAuth routes' query and answers as zod schemas: the types and the Swagger schemas in one. */
import { z } from 'zod';
import { requestDto, responseDto } from '../common/openapi';
import { ReturnTo } from './return-to';

/**
 * `GET /oauth/callback`, parsed by the service (not the global pipe): whatever is wrong, the
 * browser's binding is cleared first and a browser gets an HTML page. One value each: a repeated
 * parameter is a malformed callback, answered 400.
 */
export const CallbackQuery = z.object({
  state: z.string().min(1).describe("The consent's state, as the provider hands it back"),
  code: z.string().optional().describe('The authorization code'),
  error: z.string().optional().describe('Why the provider did not authorize'),
  error_description: z.string().optional(),
  iss: z.string().optional().describe('The issuer (RFC 9207)'),
});
export type CallbackQuery = z.output<typeof CallbackQuery>;

/** `POST /channels/:id/oauth/connect`: the body is optional (no body is `{}`, the link as before). */
export const ConnectRequest = z
  .strictObject({
    /** A console path the browser is sent back to once the consent succeeded. */
    returnTo: ReturnTo.optional(),
  })
  .prefault({});
export type ConnectRequest = z.output<typeof ConnectRequest>;
export class ConnectRequestDto extends requestDto(ConnectRequest) {}

export const ConnectLink = z.object({
  url: z.url().meta({ example: 'https://engine.example.com/oauth/connect/3q2-7wX…', description: 'Open in the browser of whoever owns the account; single use' }),
  expiresAt: z.iso.datetime(),
});
export type ConnectLink = z.infer<typeof ConnectLink>;
export class ConnectLinkResponse extends responseDto(ConnectLink) {}

/** The callback's JSON answer (`Accept: application/json`). */
export const ChannelConnected = z.object({ channelId: z.string(), authStatus: z.literal('authorized') });
export type ChannelConnected = z.infer<typeof ChannelConnected>;
export class ChannelConnectedResponse extends responseDto(ChannelConnected) {}
