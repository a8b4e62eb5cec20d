/** DI tokens for the non-class dependencies the API modules share. */
export const TEMPORAL_CLIENT = Symbol('TEMPORAL_CLIENT');
export const TEMPORAL_SETTINGS = Symbol('TEMPORAL_SETTINGS');
export const FLOW_REGISTRY = Symbol('FLOW_REGISTRY');
export const CHANNEL_DIRECTORY = Symbol('CHANNEL_DIRECTORY');
