/**
 * A livechat room as the engine hands it to the app: `IRoomRaw` plus `_unmappedProperties_`, as plain data. The room
 * code reads it (`fromEngine`, `match`, `order`) without knowing the engine's types.
 */
export type EngineRoom = Record<string, unknown>;
