// Ours: embed the campaign iframe in #bp_div.
import { embedReferAFriend } from '../../dist/index.js';
const config = globalThis.BENCH_CONFIG || { url: 'https://bp.shop.example', market: 'shop' };
globalThis.benchCall = () => embedReferAFriend(config, { campaign: 'refer-a-friend' });
