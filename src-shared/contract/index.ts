export * from './entities.js';
export * from './methods.js';
export * from './events.js';
export * from './frames.js';
export * from './dashboard.js';
export * from './uploads.js';
export * from '../errors.js';
export * from '../roles.js';
