// Modules generated at build time by rollup.config.mjs (the script-tag section) for the loader.

/** The chunks the loader may load: name → [file beside the loader, SRI hash]. */
declare module 'virtual:bp-chunks' {
  const table: Record<string, [file: string, integrity: string]>;
  export default table;
}

/** The bindings the chunks import from modules the loader holds, by module key. */
declare module 'virtual:bp-shared' {
  const shared: Record<string, Record<string, unknown>>;
  export default shared;
}

/** In a chunk: the chunks it loads itself, name → [file beside the loader, SRI hash]; pinned by its own hash in turn. */
declare module 'virtual:bp-subchunks' {
  const table: Record<string, [file: string, integrity: string]>;
  export default table;
}
