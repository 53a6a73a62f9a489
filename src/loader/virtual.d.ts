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
