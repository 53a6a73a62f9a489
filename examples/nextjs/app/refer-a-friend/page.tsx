// /refer-a-friend: the campaign page. A server component can render <ReferAFriend> directly (it
// is a client component of buyapowa-sdk/react): on the server it renders its empty box, in the
// browser it embeds the campaign's iframe, and removes it when the visitor leaves the page.
// Callbacks (onReady, onError) are functions, so they need a client component of your own.
import { ReferAFriend } from 'buyapowa-sdk/react';

export default function ReferAFriendPage() {
  return (
    <main>
      <h1>Refer a friend</h1>
      <ReferAFriend
        campaign={process.env.NEXT_PUBLIC_BUYAPOWA_CAMPAIGN ?? 'refer-a-friend'}
        locale="en"
        className="refer-a-friend"
        fallback={<p>Sorry, the campaign could not be loaded. Please try again later.</p>}
      />
    </main>
  );
}
