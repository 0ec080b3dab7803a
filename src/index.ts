export * from './schema';
export * from './synthetic-data-generator';
