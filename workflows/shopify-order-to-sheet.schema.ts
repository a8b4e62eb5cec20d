/** An `orders/create` delivery, as far as the API's docs show it: Shopify's own sample order, shortened. */
export const shopifyOrderCreatedExample = {
  id: '820982911946154508',
  admin_graphql_api_id: 'gid://shopify/Order/820982911946154508',
  name: '#9999',
  email: 'jon@example.com',
  created_at: '2021-12-31T19:00:00-05:00',
  updated_at: '2021-12-31T19:00:00-05:00',
  currency: 'USD',
  total_price: '388.00',
  financial_status: 'paid',
  customer: { id: '115310627314723954', email: 'john@example.com', first_name: 'John', last_name: 'Smith' },
  line_items: [{ id: '866550311766439020', title: 'Aviator sunglasses', quantity: 1, price: '199.00' }],
};
