/**
 * @module Types shared by the catalogues and the pure modules that produce messages (importable in Node
 * tests without a DOM).
 */
export type Params = Record<string, string | number>
