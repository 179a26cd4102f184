export * from './errors.js';
export * from './health.js';
export * from './hosts.js';
export * from './containers.js';
export * from './state.js';
export * from './auth.js';
export * from './audit.js';
export * from './container-create.js';
