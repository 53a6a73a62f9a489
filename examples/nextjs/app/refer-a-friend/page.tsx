// /refer-a-friend: the campaign page (a server component that renders the client embed).
import { ReferAFriend } from './refer-a-friend';

export default function ReferAFriendPage() {
  return (
    <main>
      <h1>Refer a friend</h1>
      <ReferAFriend campaign={process.env.NEXT_PUBLIC_BUYAPOWA_CAMPAIGN ?? 'refer-a-friend'} locale="en" />
    </main>
  );
}
