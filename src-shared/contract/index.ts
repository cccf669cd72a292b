export * from './entities.js';
export * from './methods.js';
export * from './events.js';
export * from '../errors.js';
export * from '../roles.js';
