export * from './schema';
export * from './relation-options';
export * from './synthetic-data-generator';
export * from './output-format';
export * from './table';
export * from './synthetic-data-generator-props';
