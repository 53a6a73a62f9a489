// Plausible tracker: init at load, one custom event per call (research B1, row 6).
import { init, track } from '@plausible-analytics/tracker';
init({ domain: 'shop.example.com', autoCapturePageviews: false, endpoint: globalThis.BENCH_PLAUSIBLE_ENDPOINT || 'https://plausible.io/api/event' });
globalThis.benchCall = () => track('purchase', { revenue: { amount: 42, currency: 'USD' } });
