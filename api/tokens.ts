/**
 * DI tokens for what a class cannot stand for: configuration values, the flow registry (an
 * interface), functions, and optional parts. Everything else is injected by its class.
 */
export const TEMPORAL_SETTINGS = Symbol('TEMPORAL_SETTINGS');
export const FLOW_REGISTRY = Symbol('FLOW_REGISTRY');
export const SECURITY_CONFIG = Symbol('SECURITY_CONFIG');
export const PUBLIC_URL = Symbol('PUBLIC_URL');
/** Null when payloads are not encrypted. */
export const PAYLOAD_CODEC = Symbol('PAYLOAD_CODEC');
/** Null when tracing is off. */
export const TRACER = Symbol('TRACER');
/** The process's checked environment (runtime/config/environment.ts), for what the API reads per request: import caps and limits, body limits. */
export const ENVIRONMENT = Symbol('ENVIRONMENT');
