/** DI tokens for the non-class dependencies the API modules share. */
export const TEMPORAL_CLIENT = Symbol('TEMPORAL_CLIENT');
export const TEMPORAL_SETTINGS = Symbol('TEMPORAL_SETTINGS');
export const FLOW_REGISTRY = Symbol('FLOW_REGISTRY');
export const CHANNEL_STORE = Symbol('CHANNEL_STORE');
export const CHANNEL_SCHEDULES = Symbol('CHANNEL_SCHEDULES');
export const TOKEN_STORE = Symbol('TOKEN_STORE');
export const PUBLIC_URL = Symbol('PUBLIC_URL');
export const API_METRICS = Symbol('API_METRICS');
export const CONNECTOR_REGISTRY = Symbol('CONNECTOR_REGISTRY');
export const IMPORTED_APPLICATIONS = Symbol('IMPORTED_APPLICATIONS');
export const SYNC_CURSORS = Symbol('SYNC_CURSORS');
export const PAYLOAD_CODEC = Symbol('PAYLOAD_CODEC');
export const TRACER = Symbol('TRACER');
export const API_KEYS = Symbol('API_KEYS');
export const SECURITY_CONFIG = Symbol('SECURITY_CONFIG');
