export * from './lib/acknowledgement.policy';
export * from './lib/delivery.policy';
export * from './lib/endpoint-url.policy';
