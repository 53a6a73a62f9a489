// Ours: send one conversion (the size row and the Chromium row use this same file).
import { track } from '../../dist/index.js';
const config = globalThis.BENCH_CONFIG || { url: 'https://bp.shop.example', market: 'shop' };
globalThis.benchCall = (order) => track(config, { order_number: order, customer_email: 'jane@shop.example', order_value: 42 });
