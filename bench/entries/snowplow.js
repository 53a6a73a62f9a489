// Snowplow browser-tracker: init at load, one structured event per call (research B1, row 1).
import { newTracker, trackStructEvent } from '@snowplow/browser-tracker';
newTracker('sp', globalThis.BENCH_COLLECTOR || 'https://collector.example.com', { appId: 'shop' });
globalThis.benchCall = () => trackStructEvent({ category: 'checkout', action: 'purchase', value: 42 });
