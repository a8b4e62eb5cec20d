/**
 * The tag our own writes carry (`X-Change-Origin`), so the echo of a change we made is recognised
 * and skipped. A module of its own, free of zod, because workflows import it at runtime.
 */
export const ENGINE_ORIGIN = 'integration-engine';
