// Re-exports, as a helper package's entry point does.
export * from './shop.js';
