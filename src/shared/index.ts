export * from './content';
export * from './errors';
export * from './limits';
export * from './wire';
