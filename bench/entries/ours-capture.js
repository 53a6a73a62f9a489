// Ours: remember the referral click of the page's URL (bp_e) in the first-party cookie.
import { captureReferral } from '../../dist/index.js';
globalThis.benchCall = () => captureReferral();
