// A typed consumer of buyapowa-sdk/react, checked by `npm run typecheck` against React 19
// (tsconfig.json) and React 18 (test/react/tsconfig.react18.json) typings. Not a test file:
// it compiles or it does not. Each @ts-expect-error must stay an error.
import { StrictMode, useEffect, type ReactElement } from 'react';
import {
  BuyapowaProvider,
  ReferAFriend,
  useReferralCapture,
  useTrack,
  type BuyapowaError,
  type BuyapowaProviderConfig,
  type EmbedReady,
  type ReferAFriendLogin,
  type TrackResult,
} from '../../src/react';

const config: BuyapowaProviderConfig = { url: 'https://bp.your-website.com', market: 'your-market', relay: '/buyapowa', consent: 'pending' };
const login: ReferAFriendLogin = { auto: true, name: 'Jane Doe', email: 'jane@doe.com', signed_keys: 'name, email', signature: 'abc' };

function ThankYou({ order }: { order: { id: string; email: string; total: number } }): ReactElement {
  const track = useTrack();
  useEffect(() => {
    const sent: Promise<TrackResult> = track({ order_number: order.id, customer_email: order.email, order_value: order.total });
    void sent.then((result) => result.status);
  }, [track, order]);
  return <p>Thank you</p>;
}

function Capture(): null {
  useReferralCapture('/refer');
  useReferralCapture();
  return null;
}

export function Shop(): ReactElement {
  return (
    <StrictMode>
      <BuyapowaProvider config={config}>
        <Capture />
        <ReferAFriend
          campaign="refer-a-friend"
          locale="en"
          login={login}
          className="raf"
          fallback={<p>Could not load the campaign</p>}
          onReady={(ready: EmbedReady) => ready.iframe.focus()}
          onError={(error: BuyapowaError) => console.warn(error.code === 'timeout')}
        />
        <ReferAFriend campaign="refer-a-friend" login={{ name: 'Jane', email: 'jane@doe.com' }} />
        <ThankYou order={{ id: 'ORDER-1', email: 'jane@doe.com', total: 12.5 }} />
        {/* @ts-expect-error campaign is required */}
        <ReferAFriend locale="en" />
        {/* @ts-expect-error login values are strings (or booleans where the guide allows) */}
        <ReferAFriend campaign="c" login={{ email: 5 }} />
      </BuyapowaProvider>
      {/* @ts-expect-error the config needs url and market */}
      <BuyapowaProvider config={{ url: 'https://bp.your-website.com' }} />
      {/* @ts-expect-error the container is ReferAFriend's own */}
      <BuyapowaProvider config={{ ...config, container: 'bp_div' }} />
    </StrictMode>
  );
}
