// Segment analytics-next: load at start, one track per call; no code splitting (research B1, row 3).
// BENCH_SEGMENT_SETTINGS, when set, stands in for the CDN settings fetch (the machine has no internet).
import { AnalyticsBrowser } from '@segment/analytics-next';
const settings = globalThis.BENCH_SEGMENT_SETTINGS;
const analytics = AnalyticsBrowser.load(settings ? { writeKey: 'WRITE_KEY', cdnSettings: settings } : { writeKey: 'WRITE_KEY' });
globalThis.benchReady = analytics;
globalThis.benchCall = () => analytics.track('Order Completed', { revenue: 42 });
