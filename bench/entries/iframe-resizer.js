// @iframe-resizer/parent: one iframe in #bp_div, resized to its content (research B1, row 8).
import iframeResize from '@iframe-resizer/parent';
const src = globalThis.BENCH_IFRAME_SRC || 'https://widget.example.com/embed';
globalThis.benchCall = () => {
  const iframe = document.createElement('iframe');
  iframe.src = src;
  (document.getElementById('bp_div') || document.body).append(iframe);
  return iframeResize({ license: 'GPLv3', checkOrigin: [new URL(src).origin] }, iframe);
};
