export * from './errors.js';
export * from './health.js';
export * from './hosts.js';
export * from './containers.js';
export * from './state.js';
