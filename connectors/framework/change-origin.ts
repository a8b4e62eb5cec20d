/**
 * The tag the engine's own writes carry (sent as `X-Change-Origin` by the demo connectors), so a
 * two-way sync recognises the echo of a change it made and skips it instead of bouncing it back.
 * An engine constant, not one service's: workflows import it at run time, so this module stays
 * free of zod and HTTP code.
 */
export const ENGINE_ORIGIN = 'integration-engine';
