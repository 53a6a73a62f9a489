// /orders/[id]/confirmation: the order confirmation page. A server component signs the conversion
// with the secret from the environment (it never reaches the browser: only the signature does),
// and the client component tracks it in the browser, where the referral is.
import { notFound } from 'next/navigation';
import { signFields } from 'buyapowa-sdk/server';
import { findOrder } from '../../../orders';
import { TrackConversion } from './track-conversion';

export default async function ConfirmationPage({ params }: { params: Promise<{ id: string }> }) {
  const order = await findOrder((await params).id);
  if (!order) notFound();
  const conversion = signFields(
    {
      customer_email: order.email,
      customer_name: order.name,
      order_number: order.id,
      order_value: order.total,
      voucher_code: order.voucherCode,
    },
    ['order_number', 'customer_email', 'order_value'],
    process.env.BUYAPOWA_SECRET!,
  );
  return (
    <main>
      <h1>Thank you, order {order.id} is confirmed</h1>
      <TrackConversion conversion={conversion} />
    </main>
  );
}
