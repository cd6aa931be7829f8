export * from './subject';
export * from './issuer';
export * from './provider';
export * from './environment';
export * from './pipeline';
export * from './workflow';
export * from './explain';
export * from './workflow-patch';
