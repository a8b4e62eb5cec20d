import { z } from 'zod';

export const OrderPlaced = z.object({
  orderId: z.string().min(1),
  customerEmail: z.email(),
  customerName: z.string().optional(),
  total: z.number().nonnegative(),
  currency: z.string().length(3),
});
export type OrderPlaced = z.infer<typeof OrderPlaced>;

export const orderPlacedExample: OrderPlaced = {
  orderId: 'ord_1001',
  customerEmail: 'ada@example.com',
  customerName: 'Ada Lovelace',
  total: 129.5,
  currency: 'EUR',
};
