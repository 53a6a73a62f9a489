// INSTALL.md's parts for a real account (`--relay`): the orders webhook records every order, the
// custom pixel sends nothing and only checks the referral; and, for every store, what to redo
// after a theme update or a theme switch.
import type { ResolvedShopifyOptions } from './options';

/** The relay, in words for the merchant. @internal */
export const relayPlace = (o: ResolvedShopifyOptions) => (o.relay.startsWith('/') ? `your own store's address followed by \`${o.relay}\`` : `\`${o.relay}\``);

/** Steps 5 to 7 of a real account: the webhooks, the checking pixel, the test order. @internal */
export function webhookSteps(o: ResolvedShopifyOptions, pixelFile: string): string {
  return `## Step 5: record orders with Shopify's order webhooks

On your Buyapowa account, orders are recorded from **Shopify's own servers**: Shopify sends every
order to a small server of yours (the one that runs your relay, ${relayPlace(o)}), which passes it
on to Buyapowa with your credentials. The referral travels with the order, in the cart attribute
that step 3 writes. Nothing depends on the buyer's browser, ad blocker or cookie banner at checkout.

1. Ask whoever runs your relay for the **webhook address**, such as
   \`https://www.your-server.com/hooks/shopify/orders\` (WEBHOOK.md tells them how to set it up;
   it is in the \`examples/shopify\` folder of buyapowa-sdk if it is not next to this file).
2. In your Shopify admin, go to **Settings > Notifications**, scroll to the bottom, and click
   **Webhooks**.
3. Click **Create webhook**. Event: **Order creation**. Format: **JSON**. URL: the webhook
   address. Webhook API version: the newest. Click **Save**.
4. Click **Create webhook** again. Event: **Order cancellation**, the same format, the same URL
   and version. Click **Save**. (A cancelled order's referral is then marked as failed, so no
   reward is given for it.)
5. Under the list, Shopify shows **"Your webhooks will be signed with …"** and a key. Give that
   key to whoever runs the server (it goes into \`SHOPIFY_WEBHOOK_SECRET\`). Never put it in your theme.
6. Next to each webhook, click **…** then **Send test notification**.

**You should see:** two webhooks with the same URL, **Order creation** and **Order
cancellation**, and whoever runs the server sees both test notifications arrive (a test
notification is a made-up order: Buyapowa may report it as not created, which is fine).

To count paid orders only, choose **Order payment** instead of Order creation. Subscribing
both is harmless: the server records an order once, however often Shopify sends it or retries.

## Step 6: add the checking pixel

This pixel sends nothing anywhere. At checkout it only says, in the browser's developer
tools, whether the order carries its referral: the check of step 7. If you added a Buyapowa
custom pixel before, open it and replace its code with this file instead of adding a new one.

1. In your Shopify admin, click **Settings**, then **Customer events**.
2. Click **Add custom pixel**, name it \`Buyapowa referral check\`, and click **Add pixel**.
3. Under **Customer privacy**, set **Permission** to **Not required**, and **Data sale** to
   **Data collected does not qualify as data sale** (nothing leaves the buyer's browser).
4. In the **Code** box, delete the example code and paste the whole of \`${pixelFile}\`.
5. Click **Save** (top right), then **Connect**, and confirm with **Connect**.

**You should see:** \`Buyapowa referral check\` in the list of custom pixels with the status
**Connected**.

## Step 7: place a test order and check that it is recorded

1. If you don't want to pay for the test, turn on test payments: **Settings > Payments**,
   Shopify's test mode or the **(for testing) Bogus Gateway**.
2. Get a referral link: sign up on your refer-a-friend page (step 4) with an email address of
   your own, and copy the share link it gives you.
3. Open a **private (incognito) window**, open the referral link, and accept the cookie banner
   if one is shown.
4. Open the browser's **developer tools** (F12, or Cmd+Option+I on a Mac), click the **Console**
   tab, and tick **Preserve log** (in its settings). Leave it open.
5. Add something to the cart, check out with another email address of your own, place the
   order, and wait for the Thank you page.
6. In your Shopify admin, open the test order and click **Cancel order**.

**You should see**, in this order:

| Where | What |
|---|---|
| The Console, as the Thank you page opens | \`[Buyapowa] pixel: order … carries its referral (cart attribute _bp_ref); your orders webhook records it with the referrer.\` |
| Your Shopify admin, **Orders** | The test order. The long number at the end of its address is its **order ID**: Buyapowa knows the order by that number, not by #1001. |
| Your Buyapowa reports, within a minute | A conversion for that order ID, credited to the referrer of item 2; once you cancel the order (item 6), marked as failed. Ask your client services manager if you can't find it: give them the order ID. |

Turn test payments off again afterwards.
`;
}

/** The troubleshooting rows of a real account (pixel, webhook, relay). @internal */
export function webhookTroubleshooting(): string {
  return `| The Console shows no \`[Buyapowa] pixel:\` line | The checking pixel is saved but not **Connected**, or the Console was opened after the Thank you page | Check step 6's status; place another order with the Console open and **Preserve log** ticked. The order is recorded by the webhook either way. |
| The Console says the browser "holds a referral but the order has no _bp_ref cart attribute" | Step 3 is missing from the theme in use (a theme update or switch, see below), or the cookie banner was accepted only at checkout | Check the \`render 'buyapowa-referral'\` line of step 3 in the published theme; accept the banner before adding to the cart. |
| Buyapowa has no conversion for the test order | The webhooks of step 5 are missing, point at another address, or the server is down | Check both webhooks' URL; use **Send test notification** and ask whoever runs the server what it logged. |
| The server logs "X-Shopify-Hmac-Sha256 does not match" | Its \`SHOPIFY_WEBHOOK_SECRET\` is not the key of step 5 | Copy the key under the webhook list again and give it to them. |
| Shopify emails that your webhook is failing | The server answered with an error, for example while Buyapowa's API was unreachable | Nothing is lost while Shopify retries (up to 8 times over 4 hours); ask whoever runs the server to check its log. |
| The conversion arrives but no referrer is credited | The referral link was opened in another browser, the banner was declined, or the link is older than the attribution window | Repeat step 7 in one private window: open the link, accept the banner, then order. |
`;
}

/** What to redo after a theme update or a theme switch (every store). @internal */
export function themeUpdateSection(o: ResolvedShopifyOptions): string {
  const settingsSteps = o.relay ? 'Steps 5 and 6 (the webhooks and the pixel)' : 'Step 5 (the pixel)';
  const testStep = o.relay ? 7 : 6;
  return `## After a theme update or a theme switch

Steps 3 and 4 live **in your theme**. ${settingsSteps}
live in **Settings** and survive any theme change. When you update your theme to a new
version from the Theme Store, Shopify adds the new version to your theme library as a new,
unpublished theme: it keeps your theme editor settings, **but not code edits** such as steps 3
and 4. The same holds when you switch to another theme.

Before you publish the updated or new theme:

1. In the new theme, click **…** then **Edit code**, and do **step 3** again (the
   \`buyapowa-referral\` snippet and its \`render\` line in \`theme.liquid\`).
2. Do **step 4** again: 4A (the section and the \`refer-a-friend\` template) or 4B, whichever
   the new theme needs. Your refer-a-friend page keeps its template name, so it shows the campaign
   again as soon as the template exists. You don't create the page again.
3. **Preview** the new theme on your refer-a-friend page, then publish it and repeat the test
   order of step ${testStep}.

If the new theme is published first, referral clicks are not remembered (orders are still
recorded, without referrer) and the refer-a-friend page shows only its text, until you do.
`;
}
