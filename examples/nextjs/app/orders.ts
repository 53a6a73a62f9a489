// A stand-in for your order store: replace findOrder with your database or commerce API.

/** What the confirmation page needs of an order. */
export interface Order {
  id: string;
  email: string;
  /** "FirstName, LastName", as the guide writes names. */
  name?: string;
  /** "XX.YY", without currency symbol. */
  total: string;
  voucherCode?: string;
}

/** The order `id`, or undefined when there is none. */
export async function findOrder(id: string): Promise<Order | undefined> {
  return /^\w{1,64}$/.test(id) ? { id, email: 'jane@smith.com', name: 'Jane, Smith', total: '12.89' } : undefined;
}
