// The React app that test/chromium/react.test.ts bundles with esbuild (React's development build,
// so StrictMode mounts, unmounts and mounts again) against the built buyapowa-sdk/react. The test
// drives it through window.reactApp.
import { StrictMode, useEffect } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { BuyapowaProvider, ReferAFriend, type BuyapowaProviderConfig, type ReferAFriendProps } from '../../src/react';

/** What the test calls in the page. */
export interface ReactApp {
  /** Renders `<ReferAFriend {...props}>` in a provider, under StrictMode; re-renders if mounted. */
  render(config: BuyapowaProviderConfig, props: ReferAFriendProps): void;
  unmount(): void;
  /** "ready" and "error:<code>" as the component reported them. */
  events: string[];
  /** How many times React committed the tree (counted by an effect that runs on every commit). */
  commits: number;
}

declare global {
  interface Window {
    reactApp: ReactApp;
  }
}

let root: Root | undefined;

/** Counts commits, so the test knows a render has reached the DOM. */
function Commits(): null {
  useEffect(() => {
    window.reactApp.commits++;
  });
  return null;
}

const events: string[] = [];

window.reactApp = {
  events,
  commits: 0,
  render(config, props) {
    root ||= createRoot(document.getElementById('root')!);
    root.render(
      <StrictMode>
        <BuyapowaProvider config={config}>
          <ReferAFriend {...props} onReady={() => events.push('ready')} onError={(error) => events.push('error:' + error.code)} />
          <Commits />
        </BuyapowaProvider>
      </StrictMode>,
    );
  },
  unmount() {
    root?.unmount();
    root = undefined;
  },
};
