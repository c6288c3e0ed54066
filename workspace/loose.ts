/**
 * The workspace's two loose types, declared once. `Any`: what the Apps-Engine's untyped seams pass around (its
 * bridges, managers and runtime take and give `any`). `Doc`: a document as stored, read field by field, every value
 * unknown until checked.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Any = any;

export type Doc = Record<string, unknown>;
