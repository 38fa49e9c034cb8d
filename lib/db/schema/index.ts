export * from './organisations';
export * from './sites';
export * from './users';
export * from './stations';
export * from './audit';
export * from './transactions';
