// The embed chunk (dist/chunks/embed.<hash>.js): the campaign iframe, loaded by the script tag the
// first time `embedReferAFriend` is called.
import { embedReferAFriend } from '../browser/embed';
import { registerChunk } from './registry';

registerChunk('embed', { embed: embedReferAFriend });
