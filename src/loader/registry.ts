// Loading the script tag's chunks: classic scripts beside the loader (dist/chunks/<name>.<hash>.js),
// each pinned by its SRI hash, computed at build time. A chunk registers its API here when it
// runs; the calls that waited for it go on then. Generic: the table, generated at build time,
// names every chunk.
import table from 'virtual:bp-chunks';
import { log } from '../browser/log';

/** What a chunk registers: its functions, by name. @internal */
export type ChunkApi = Record<string, (...args: never[]) => unknown>;

/** Each chunk's load, once started: its API once it has registered, or a rejection. */
const loads: Record<string, Promise<ChunkApi>> = {};
/** Whom a chunk's registration wakes, while it loads. */
const waiting: Record<string, (api: ChunkApi) => void> = {};
let base = '';

/**
 * Where chunks are loaded from: the `data-base` attribute of the script tag, else the folder of
 * its own URL. Read once, while the loader runs (document.currentScript is set only then). @internal
 */
export function setBase(script: HTMLScriptElement | null): void {
  const given = script && (script.dataset.base ? script.dataset.base.replace(/\/?$/, '/') : script.src);
  if (given) base = new URL(given, location.href).href;
}

/** Called by a chunk when it runs: its API, for the calls that wait for it. @internal */
export function registerChunk(name: string, api: ChunkApi): void {
  const wake = waiting[name];
  delete waiting[name];
  if (wake) wake(api);
}

/**
 * Loads a chunk once (a `<script>` with `integrity` and `crossorigin`) and resolves with its API.
 * When it cannot load (network, 404, SRI mismatch) one console line says so and what it means
 * (`outcome`), and the promise rejects; a later call tries again. A chunk that loads another
 * gives its `pinned` [file, SRI hash] (`virtual:bp-subchunks`); the loader's own are in its table. @internal
 */
export function loadChunk(name: string, outcome: string, pinned?: [string, string]): Promise<ChunkApi> {
  return (loads[name] ||= new Promise<ChunkApi>((resolve, reject) => {
    const [file, integrity] = pinned || table[name];
    const script = document.createElement('script');
    const src = new URL(file, base || location.href).href;
    const failed = () => {
      if (waiting[name] !== resolve) return;
      delete waiting[name];
      delete loads[name];
      script.remove();
      log('error', `could not load ${src} (network error, 404 or integrity mismatch): ${outcome}`);
      reject(new Error(name));
    };
    waiting[name] = resolve;
    // A chunk registers while it runs, before `load`: a file that did not is not our chunk.
    script.onload = script.onerror = failed;
    Object.assign(script, { src, integrity, crossOrigin: 'anonymous' });
    document.head.append(script);
  }));
}
